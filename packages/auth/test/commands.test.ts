import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Application, CommandContext, ManagementCommand } from '@atrium/core';
import { closeDatabases, configureDatabases, createTables } from '@atrium/orm';
import {
  ScriptedPrompter,
  User,
  authModels,
  changepasswordCommand,
  checkPassword,
  createUser,
  createsuperuserCommand,
  terminalPrompter,
  isPasswordUsable,
} from '../src/index.js';
import { forEachDatabase } from './support/databases.js';
import { authTables, siteApplication } from './support/site.js';

/** Run a command with captured output. */
async function runCommand(app: Application, command: ManagementCommand, args: string[], options: Record<string, unknown>): Promise<{ code: number | void; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, callback) {
        append(String(chunk));
        callback();
      },
    });
  const context: CommandContext = { project: { context: app.context } as CommandContext['project'], cwd: process.cwd(), stdout: sink((t) => (stdout += t)), stderr: sink((t) => (stderr += t)) };
  const code = await command.run(context, args, options);
  return { code, stdout, stderr };
}

forEachDatabase(
  'auth commands',
  (db) => {
    let app: Application;
    beforeAll(async () => {
      app = await siteApplication();
    });
    afterAll(() => app.close());
    beforeEach(() => db.flush(authTables()));

    describe('createsuperuser (interactive, scripted prompts)', () => {
      it('asks again until each answer is valid, hides nothing from validation, and creates the superuser', async () => {
        await createUser({ username: 'taken', password: null });
        const prompter = new ScriptedPrompter([
          '',
          'bad name!',
          'taken',
          'admin',
          'not-an-email',
          'admin@example.com',
          'one passphrase 1',
          'another passphrase 2',
          '',
          '',
          '12345678',
          '12345678',
          'n',
          'a strong passphrase 1',
          'a strong passphrase 1',
        ]);
        const { code, stdout, stderr } = await runCommand(app, createsuperuserCommand({ prompter: () => prompter }), [], { input: true, database: 'default' });
        expect(code).toBe(0);
        expect(stdout).toBe('Superuser created successfully.\n');
        expect(stderr).toContain('Error: This field cannot be blank.');
        expect(stderr).toContain('Error: Enter a valid username.');
        expect(stderr).toContain('Error: That username is already taken.');
        expect(stderr).toMatch(/Error: .*e-?mail/i);
        expect(stderr).toContain("Error: Your passwords didn't match.");
        expect(stderr).toContain("Error: Blank passwords aren't allowed.");
        expect(stderr).toContain('This password is too common.');
        expect(stderr).toContain('This password is entirely numeric.');
        expect(prompter.asked).toEqual([
          'Username: ',
          'Username: ',
          'Username: ',
          'Username: ',
          'Email: ',
          'Email: ',
          'Password: ',
          'Password (again): ',
          'Password: ',
          'Password (again): ',
          'Password: ',
          'Password (again): ',
          'Bypass password validation and create user anyway? [y/N]: ',
          'Password: ',
          'Password (again): ',
        ]);
        const admin = await User.objects.get({ username: 'admin' });
        expect([admin.isSuperuser, admin.isStaff, admin.isActive, admin.email]).toEqual([true, true, true, 'admin@example.com']);
        expect(await checkPassword('a strong passphrase 1', admin.password)).toBe(true);
      });

      it('keeps a weak password when told to bypass validation', async () => {
        const prompter = new ScriptedPrompter(['boss', '', '1234', '1234', 'y']);
        await runCommand(app, createsuperuserCommand({ prompter: () => prompter }), [], { input: true });
        expect(await checkPassword('1234', (await User.objects.get({ username: 'boss' })).password)).toBe(true);
      });

      it('reads answers piped to stdin (no terminal), one per line', async () => {
        const input = new PassThrough();
        input.end('piped\npiped@example.com\nthe piped passphrase\nthe piped passphrase\n');
        let echoed = '';
        const output = new Writable({ write: (chunk, _e, callback) => ((echoed += String(chunk)), callback()) });
        const { code } = await runCommand(app, createsuperuserCommand({ prompter: () => terminalPrompter(input, output) }), [], { input: true });
        expect(code).toBe(0);
        expect(echoed).toBe('Username: \nEmail: \nPassword: \nPassword (again): \n');
        expect(await checkPassword('the piped passphrase', (await User.objects.get({ username: 'piped' })).password)).toBe(true);
      });

      it('fails clearly when stdin ends early', async () => {
        const input = new PassThrough();
        input.end('half\n');
        const output = new Writable({ write: (_chunk, _e, callback) => callback() });
        await expect(runCommand(app, createsuperuserCommand({ prompter: () => terminalPrompter(input, output) }), [], { input: true })).rejects.toThrow(/input ended before/);
      });
    });

    describe('createsuperuser --no-input', () => {
      const run = (options: Record<string, unknown>, env: Record<string, string>) => runCommand(app, createsuperuserCommand({ env }), [], { input: false, ...options });

      it('takes the password from ATRIUM_SUPERUSER_PASSWORD', async () => {
        const { stdout } = await run({ username: 'ci', email: 'ci@example.com' }, { ATRIUM_SUPERUSER_PASSWORD: 'ci pipeline passphrase' });
        expect(stdout).toBe('Superuser created successfully.\n');
        const ci = await User.objects.get({ username: 'ci' });
        expect(ci.isSuperuser).toBe(true);
        expect(await checkPassword('ci pipeline passphrase', ci.password)).toBe(true);
      });

      it('refuses a missing or taken username and a weak password, naming the problem', async () => {
        await expect(run({}, { ATRIUM_SUPERUSER_PASSWORD: 'ci pipeline passphrase' })).rejects.toThrow(/--no-input needs the username: pass --username/);
        await createUser({ username: 'ci', password: null });
        await expect(run({ username: 'ci' }, { ATRIUM_SUPERUSER_PASSWORD: 'ci pipeline passphrase' })).rejects.toThrow(/Username 'ci' is not acceptable: That username is already taken/);
        await expect(run({ username: 'ci2' }, { ATRIUM_SUPERUSER_PASSWORD: 'password' })).rejects.toThrow(/ATRIUM_SUPERUSER_PASSWORD was refused: .*too common/);
        expect(await User.objects.filter({ username: 'ci2' }).exists()).toBe(false);
      });

      it('without a password, creates the account with an unusable one and says so', async () => {
        const { stderr } = await run({ username: 'nopass' }, {});
        expect(stderr).toContain('ATRIUM_SUPERUSER_PASSWORD is not set');
        expect(isPasswordUsable((await User.objects.get({ username: 'nopass' })).password)).toBe(false);
      });
    });

    describe('changepassword', () => {
      it('changes the password after matching, valid entries', async () => {
        await createUser({ username: 'ann', password: 'old passphrase 1' });
        const prompter = new ScriptedPrompter(['x', 'y', 'new passphrase 22', 'new passphrase 22']);
        const { stdout, stderr } = await runCommand(app, changepasswordCommand({ prompter: () => prompter }), ['ann'], {});
        expect(stdout).toBe("Changing password for user 'ann'\nPassword changed successfully for user 'ann'\n");
        expect(stderr).toBe("Error: Your passwords didn't match.\n");
        expect(await checkPassword('new passphrase 22', (await User.objects.get({ username: 'ann' })).password)).toBe(true);
      });

      it('gives up after three failed tries, and names unknown users', async () => {
        await createUser({ username: 'ann', password: 'old passphrase 1' });
        const prompter = new ScriptedPrompter(['a', 'b', 'password', 'password', '', '']);
        await expect(runCommand(app, changepasswordCommand({ prompter: () => prompter }), ['ann'], {})).rejects.toThrow("Aborting password change for user 'ann' after 3 attempts.");
        expect(await checkPassword('old passphrase 1', (await User.objects.get({ username: 'ann' })).password)).toBe(true);
        await expect(runCommand(app, changepasswordCommand({ prompter: () => new ScriptedPrompter([]) }), ['ghost'], {})).rejects.toThrow("User 'ghost' does not exist");
      });
    });
  },
  { models: authTables },
);

describe('the real manage binary', () => {
  const repo = resolve(import.meta.dirname, '../../..');
  const project = join(import.meta.dirname, `.tmp-project-${process.pid}`);
  const manage = join(repo, 'packages/cli/bin/manage.js');
  const run = (args: string[], options: { env?: Record<string, string>; input?: string } = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolvePromise) => {
      const child = execFile(process.execPath, [manage, ...args], { cwd: project, env: { ...process.env, ...options.env }, timeout: 60_000 }, (error, stdout, stderr) =>
        resolvePromise({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin!.end(options.input ?? '');
    });
  const users = async () => {
    configureDatabases({ manage_test: { ENGINE: 'sqlite', NAME: join(project, 'db.sqlite3'), OPTIONS: {} } }, project, { replace: true });
    try {
      return await User.objects.using('manage_test').orderBy('username').valuesList('username', 'isSuperuser', 'password');
    } finally {
      await closeDatabases(['manage_test']);
    }
  };

  beforeAll(async () => {
    mkdirSync(project, { recursive: true });
    writeFileSync(
      join(project, 'settings.ts'),
      `import { defineSettings } from '@atrium/core';
export default defineSettings({
  SECRET_KEY: 'manage-binary-test-secret-key-0123456789-abcdef',
  ALLOWED_HOSTS: ['localhost'],
  INSTALLED_APPS: ['@atrium/orm', '@atrium/auth'],
  DATABASES: { default: { ENGINE: 'sqlite', NAME: 'db.sqlite3', OPTIONS: {} } },
});
`,
    );
    writeFileSync(join(project, 'urls.ts'), 'export default [];\n');
    // Until migrations land, the tables come from the ORM's createTables.
    configureDatabases({ manage_test: { ENGINE: 'sqlite', NAME: join(project, 'db.sqlite3'), OPTIONS: {} } }, project, { replace: true });
    await createTables([...authModels], 'manage_test');
    await closeDatabases(['manage_test']);
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('lists the auth commands', async () => {
    const { stdout } = await run(['--help']);
    for (const name of ['createsuperuser', 'changepassword', 'clearsessions']) expect(stdout).toContain(name);
  });

  it('createsuperuser --no-input --username U --email E with ATRIUM_SUPERUSER_PASSWORD', async () => {
    const result = await run(['createsuperuser', '--no-input', '--username', 'root', '--email', 'root@example.com'], { env: { ATRIUM_SUPERUSER_PASSWORD: 'binary test passphrase' } });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('Superuser created successfully.\n');
    expect(result.code).toBe(0);
    const again = await run(['createsuperuser', '--no-input', '--username', 'root'], { env: { ATRIUM_SUPERUSER_PASSWORD: 'binary test passphrase' } });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe("Error: Username 'root' is not acceptable: That username is already taken.\n");
    const rows = await users();
    expect(rows.map(([name, superuser]) => [name, superuser])).toEqual([['root', true]]);
    expect(await checkPassword('binary test passphrase', rows[0]![2])).toBe(true);
  });

  it('createsuperuser interactively with answers piped to stdin, then clearsessions', async () => {
    const result = await run(['createsuperuser'], { input: 'piped\npiped@example.com\nanother binary passphrase\nanother binary passphrase\n' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('Username: \nEmail: \nPassword: \nPassword (again): \nSuperuser created successfully.\n');
    expect((await users()).map(([name]) => name)).toContain('piped');
    const clear = await run(['clearsessions']);
    expect(clear.stdout).toBe("Removed 0 expired sessions (SESSION_ENGINE 'db').\n");
  });
});
