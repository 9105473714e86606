import { describe, expect, it } from 'vitest';
import { chooseDatabase } from '../src/database-choice.js';
import { InvalidOption } from '../src/errors.js';

describe('chooseDatabase', () => {
  it('defaults to a SQLite file in the project', () => {
    expect(chooseDatabase({ projectName: 'mysite' })).toEqual({ engine: 'sqlite', url: 'sqlite:db.sqlite3', publicUrl: 'sqlite:db.sqlite3' });
  });

  it('points --db postgres at a local server and a database named after the project', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/my_site_v2';
    expect(chooseDatabase({ projectName: 'my-site.v2', db: 'postgres' })).toEqual({ engine: 'postgres', url, publicUrl: url });
  });

  it('keeps the password of --database-url out of the public URL', () => {
    const choice = chooseDatabase({ projectName: 'mysite', databaseUrl: 'postgres://ann:s3cret@db.internal:6543/site' });
    expect(choice).toEqual({ engine: 'postgres', url: 'postgres://ann:s3cret@db.internal:6543/site', publicUrl: 'postgres://ann@db.internal:6543/site' });
  });

  it('refuses unknown engines, bad URLs and contradictions with exact messages', () => {
    const cases: Array<[Parameters<typeof chooseDatabase>[0], string]> = [
      [{ projectName: 'm', db: 'mysql' }, "--db 'mysql' is not supported; use --db sqlite or --db postgres."],
      [{ projectName: 'm', databaseUrl: 'not a url' }, '--database-url is not a URL; write sqlite:FILE or postgres://USER:PASSWORD@HOST:PORT/NAME.'],
      [{ projectName: 'm', databaseUrl: 'mysql://root@h/app' }, "--database-url scheme 'mysql:' is not supported; use sqlite:FILE or postgres://USER:PASSWORD@HOST:PORT/NAME."],
      [{ projectName: 'm', databaseUrl: 'postgres://ann:pw@h/' }, "--database-url for host 'h' names no database; add /NAME at the end."],
      [{ projectName: 'm', databaseUrl: 'sqlite:' }, "--database-url 'sqlite:' names no file; write sqlite:db.sqlite3."],
      [{ projectName: 'm', db: 'sqlite', databaseUrl: 'postgres://h/app' }, '--db sqlite contradicts --database-url, which is a postgres URL; drop one of them.'],
    ];
    for (const [options, message] of cases) {
      expect(() => chooseDatabase(options)).toThrow(InvalidOption);
      expect(() => chooseDatabase(options)).toThrow(message);
    }
  });
});
