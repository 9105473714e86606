import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../../..');
const manage = join(repo, 'packages/cli/bin/manage.js');
const version = (JSON.parse(readFileSync(join(repo, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;

function manageIn(cwd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('ATRIUM_')) env[key] = value;
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, [manage, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const APP = `import { defineApp } from '@atrium/core';

export default defineApp({ label: 'shop', path: import.meta.dirname });
`;

/** shop/commands/<name>.ts: one command per file, named after it. */
const COMMANDS: Record<string, string> = {
  greet: `import type { ManagementCommand } from '@atrium/core';

export default {
  name: 'greet',
  description: 'Greet someone',
  arguments: [{ name: 'who', description: 'who to greet' }, { name: 'others', required: false, variadic: true }],
  options: [{ flags: '--shout', description: 'in capitals' }, { flags: '--times <n>', description: 'repeat', default: '1' }],
  run(context, args, options) {
    const line = 'Hello, ' + args.join(' and ') + '!';
    for (let i = 0; i < Number(options.times); i++) context.stdout.write((options.shout ? line.toUpperCase() : line) + '\\n');
    context.stdout.write('project: ' + (context.project ? context.project.context.settings.INSTALLED_APPS.join(',') : 'none') + '\\n');
  },
} satisfies ManagementCommand;
`,
  'exit-three': `export default { name: 'exit-three', description: 'Exit with code 3', requiresProject: false, run: (context) => { context.stdout.write('project: ' + context.project + '\\n'); return 3; } };
`,
  refuse: `import { AtriumError } from '@atrium/core';
export default { name: 'refuse', description: 'Fail cleanly', run() { throw new AtriumError('E_SHOP_CLOSED', 'The shop is closed; open it with manage open-shop.'); } };
`,
  crash: `export default { name: 'crash', description: 'Fail with a bug', run() { throw new TypeError('undefined is not a function'); } };
`,
  check: `export default { name: 'check', description: 'Clashes with the built-in check', run() {} };
`,
  // Listing commands must not import them: this one would stop any process that did.
  'import-bomb': `throw new Error('imported while listing commands');
`,
  misnamed: `export default { name: 'other-name', description: 'Named unlike its file', run() {} };
`,
};

/** settings.ts counts its own evaluations in loads.txt, so a test can tell whether manage loaded the project. */
const SETTINGS = `import { appendFileSync } from 'node:fs';
appendFileSync(new URL('./loads.txt', import.meta.url), 'x');
export default { SECRET_KEY: 'q8Vz3LkR0pXw7NcT2mYb5HsJ9dFg4AeU1iOo6KlZxCvBnMqWrTy', DEBUG: true, INSTALLED_APPS: ['shop'] };
`;

function settingsLoads(): number {
  return existsSync(join(dir, 'loads.txt')) ? readFileSync(join(dir, 'loads.txt'), 'utf8').length : 0;
}

let dir: string;
let outside: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'atrium-appcmd-'));
  outside = mkdtempSync(join(tmpdir(), 'atrium-outside-'));
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'settings.ts'), SETTINGS);
  writeFileSync(join(dir, 'urls.ts'), 'export default [];\n');
  mkdirSync(join(dir, 'shop'));
  writeFileSync(join(dir, 'shop', 'app.ts'), APP);
  mkdirSync(join(dir, 'shop', 'commands'));
  for (const [name, source] of Object.entries(COMMANDS)) writeFileSync(join(dir, 'shop', 'commands', `${name}.ts`), source);
  writeFileSync(join(dir, 'shop', 'commands', '_helpers.ts'), 'export const notACommand = true;\n');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('commands contributed by installed apps', () => {
  it('maps arguments and options onto the command line', async () => {
    const { code, stdout } = await manageIn(dir, ['greet', 'ada', 'grace', 'alan', '--shout', '--times', '2']);
    expect(code).toBe(0);
    expect(stdout).toBe('HELLO, ADA AND GRACE AND ALAN!\nHELLO, ADA AND GRACE AND ALAN!\nproject: shop\n');
  });

  it('reports a missing required argument the commander way', async () => {
    const { code, stderr } = await manageIn(dir, ['greet']);
    expect(code).toBe(1);
    expect(stderr).toContain("error: missing required argument 'who'");
  });

  it('passes no project to a command that does not need one, and returns its exit code', async () => {
    const { code, stdout } = await manageIn(dir, ['exit-three']);
    expect(stdout).toBe('project: null\n');
    expect(code).toBe(3);
  });

  it('prints an AtriumError as one line, and a bug with its stack', async () => {
    const refused = await manageIn(dir, ['refuse']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('Error: The shop is closed; open it with manage open-shop.\n');
    const crashed = await manageIn(dir, ['crash']);
    expect(crashed.code).toBe(1);
    expect(crashed.stderr).toMatch(/^TypeError: undefined is not a function\n\s+at /);
  });

  it('lists app commands in --help by name, grouped by app, keeping built-ins when a name clashes', async () => {
    const { code, stdout, stderr } = await manageIn(dir, ['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Commands from installed apps (manage <command> --help for their arguments and options):\n  [shop]\n    crash\n    exit-three\n    greet\n    import-bomb\n    misnamed\n    refuse\n');
    expect(stdout).not.toContain('_helpers');
    expect(stdout).toMatch(/check \[options\]\s+Validate the settings/);
    expect(stderr).toContain("Warning: app 'shop' contributes a command named 'check', which is built in; the built-in one is used.");
  });

  it('shows one app command in full with <command> --help and help <command>', async () => {
    for (const args of [['greet', '--help'], ['help', 'greet']]) {
      const { code, stdout } = await manageIn(dir, args);
      expect(code).toBe(0);
      expect(stdout).toMatch(/Usage: manage greet \[options\] <who> \[others\.\.\.\]/);
      expect(stdout).toContain('Greet someone [shop]');
      expect(stdout).toContain('--times <n>');
    }
  });

  it('lists from the INSTALLED_APPS cache without loading the project, until settings.ts changes', async () => {
    await manageIn(dir, ['check']); // a full load writes the cache
    const before = settingsLoads();
    expect((await manageIn(dir, ['--help'])).stdout).toContain('    greet\n');
    expect(settingsLoads()).toBe(before);
    // An edit (a new mtime) makes the cache stale: --help loads the project once, then uses the cache again.
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(dir, 'settings.ts'), later, later);
    expect((await manageIn(dir, ['--help'])).stdout).toContain('    greet\n');
    expect(settingsLoads()).toBe(before + 1);
    await manageIn(dir, ['--help']);
    expect(settingsLoads()).toBe(before + 1);
  });

  it('refuses a command file whose command is named otherwise, naming the file and the fix', async () => {
    const { code, stderr } = await manageIn(dir, ['misnamed']);
    expect(code).toBe(1);
    expect(stderr).toContain("default-exports the command 'other-name', but the file name makes it 'misnamed'; rename the file or the command so they agree.");
  });
});

describe('manage outside a project', () => {
  it('prints the version and help without a project', async () => {
    expect(await manageIn(outside, ['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const help = await manageIn(outside, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    for (const command of ['runserver', 'check', 'routes', 'startapp', 'collectstatic']) expect(help.stdout).toContain(command);
    expect(help.stdout).toContain('--settings <module>');
  });

  it('shows help for each command', async () => {
    const help = await manageIn(outside, ['runserver', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: manage runserver [options] [addrport]');
    expect(help.stdout).toContain('--noreload');
  });

  it('reports an unknown command', async () => {
    const { code, stderr } = await manageIn(outside, ['migrate']);
    expect(code).toBe(1);
    expect(stderr).toContain("error: unknown command 'migrate'");
  });
});
