import { describe, expect, it } from 'vitest';
import { InvalidOption } from '../src/errors.js';
import { parseArguments } from '../src/parse-arguments.js';

describe('parseArguments', () => {
  it('reads the name and every option', () => {
    expect(
      parseArguments(['mysite', '--db', 'postgres', '--database-url', 'postgres://h/db', '--no-install', '--package-manager', 'npm', '--atrium-source', 'registry']),
    ).toEqual({
      name: 'mysite',
      db: 'postgres',
      databaseUrl: 'postgres://h/db',
      install: false,
      packageManager: 'npm',
      atriumSource: 'registry',
      help: false,
      version: false,
    });
  });

  it('installs with npm by default', () => {
    expect(parseArguments(['mysite'])).toMatchObject({ name: 'mysite', install: true, packageManager: 'npm', atriumSource: undefined });
  });

  it('refuses unknown options, two names and other package managers', () => {
    expect(() => parseArguments(['mysite', '--dbb', 'x'])).toThrow(InvalidOption);
    expect(() => parseArguments(['mysite', '--dbb', 'x'])).toThrow(/Unknown option '--dbb'.*Run create-app --help for the options\.$/);
    expect(() => parseArguments(['a', 'b'])).toThrow('Expected one project name, got 2: a b. Quote nothing; a name has no spaces.');
    expect(() => parseArguments(['a', '--package-manager', 'pnpm'])).toThrow("--package-manager 'pnpm' is not supported yet; use --package-manager npm.");
  });
});
