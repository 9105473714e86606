import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'atrium-create-app-main-'));
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

async function run(argv: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString('utf8')));
  const code = await main(argv, { cwd, env, stdout, stderr });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('create-app main', () => {
  it('creates the project and prints the next steps', async () => {
    const result = await run(['mysite', '--no-install']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Created the Atrium project mysite: 24 files in ${join(cwd, 'mysite')}.\n\n`);
    expect(result.stdout).not.toContain('Installing');
    expect(result.stdout).toContain('Next steps:\n  cd mysite\n  npm install\n  npx manage migrate\n');
    expect(result.stdout).toContain('  npx manage runserver\n');
  });

  it('refuses a non-empty folder with exit code 2 and writes nothing', async () => {
    mkdirSync(join(cwd, 'mysite'));
    writeFileSync(join(cwd, 'mysite', 'keep.txt'), 'mine');
    const result = await run(['mysite', '--no-install']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`create-app: Folder ${join(cwd, 'mysite')} already exists and is not empty; choose another name, or empty or remove the folder.\n`);
    expect(readFileSync(join(cwd, 'mysite', 'keep.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(cwd, 'mysite', 'settings.ts'))).toBe(false);
  });

  it('refuses bad names and a missing name with exit code 2', async () => {
    expect(await run(['My_Site', '--no-install'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "create-app: Invalid project name 'My_Site': npm package names must be lowercase; try 'my_site'.\n",
    });
    expect(await run(['--no-install'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'create-app: Missing the project name: npx create-app NAME (for example npx create-app mysite).\n',
    });
  });

  it('reads ATRIUM_SOURCE, and --atrium-source wins over it', async () => {
    expect((await run(['one', '--no-install'], { ATRIUM_SOURCE: 'registry' })).code).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, 'one', 'package.json'), 'utf8')).dependencies['@atrium/core']).toBe('^0.1.0');
    expect((await run(['two', '--no-install', '--atrium-source', 'local'], { ATRIUM_SOURCE: 'registry' })).code).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, 'two', 'package.json'), 'utf8')).dependencies['@atrium/core']).toMatch(/^file:.*packages[\\/]core$/);
    expect(await run(['three', '--no-install'], { ATRIUM_SOURCE: 'npm' })).toEqual({
      code: 2,
      stdout: '',
      stderr: "create-app: ATRIUM_SOURCE 'npm' is not supported; use local (file: links to this checkout) or registry (published versions).\n",
    });
  });

  it('prints help and the version', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: create-app NAME \[options\]/);
    expect(help.stdout).toContain('--atrium-source <local|registry>');
    expect(await run(['--version'])).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });
});
