import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '..');
const manage = join(repo, 'packages/cli/bin/manage.js');
// A key that passes every check: long, random-looking, no placeholder words.
const GOOD_KEY = 'q8Vz3LkR0pXw7NcT2mYb5HsJ9dFg4AeU1iOo6KlZxCvBnMqWrTy';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/**
 * A throwaway project folder, an ES module package like every Atrium project;
 * node_modules links to the monorepo's so '@atrium/core' resolves.
 */
function project(files: Record<string, string>, packageJson: string | null = '{ "type": "module" }\n'): string {
  const dir = mkdtempSync(join(tmpdir(), 'atrium-check-'));
  made.push(dir);
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  if (packageJson !== null) writeFileSync(join(dir, 'package.json'), packageJson);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** The environment without ATRIUM_* overrides or DEBUG from the developer's shell. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('ATRIUM_') && key !== 'DEBUG') env[key] = value;
  }
  return { ...env, ...extra };
}

function manageIn(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [manage, ...args], { cwd, env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

const emptyUrls = { 'urls.ts': 'export default [];\n' };

function settingsFile(body: string): string {
  return `import { defineSettings } from '@atrium/core';\n\nexport default defineSettings(${body});\n`;
}

describe('manage check', () => {
  it('fails on a setting of the wrong type, naming the key, the value and what was expected', async () => {
    const dir = project({ 'settings.ts': `export default { SECRET_KEY: '${GOOD_KEY}', DEBUG: 'yes' };\n`, ...emptyUrls });
    const { code, stdout, stderr } = await manageIn(dir, ['check']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^Error: Invalid settings in .*settings\.ts:\n/);
    expect(stderr).toContain('DEBUG is "yes"');
    expect(stderr).toMatch(/expected boolean/);
    // A configuration error is a message, not a crash: no stack trace.
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('fails on a too-short SECRET_KEY without printing the key', async () => {
    const dir = project({ 'settings.ts': "export default { SECRET_KEY: 'short-secret', DEBUG: true };\n", ...emptyUrls });
    const { code, stderr } = await manageIn(dir, ['check']);
    expect(code).toBe(1);
    expect(stderr).toContain('SECRET_KEY is');
    expect(stderr).toContain('must be at least 32 characters');
    expect(stderr).not.toContain('short-secret');
  });

  it('passes a good project with exit 0', async () => {
    const dir = project({
      'settings.ts': settingsFile(`{ SECRET_KEY: '${GOOD_KEY}', DEBUG: false, ALLOWED_HOSTS: ['example.com'], STATIC_ROOT: 'staticfiles' }`),
      'urls.ts': "import { path, text } from '@atrium/core';\n\nexport default [path('', () => text('hi'), { name: 'home' })];\n",
      'templates/.gitkeep': '',
    });
    const { code, stdout, stderr } = await manageIn(dir, ['check']);
    expect(stderr).toBe('');
    expect(stdout).toBe('System check identified no issues (0 silenced).\n');
    expect(code).toBe(0);
  });

  it('reports warnings but exits 0', async () => {
    const dir = project({
      'settings.ts': settingsFile(`{ SECRET_KEY: '${GOOD_KEY}', DEBUG: true, STATIC_ROOT: 'staticfiles', TEMPLATES: { DIRS: ['missing-templates'] } }`),
      ...emptyUrls,
    });
    const { code, stdout } = await manageIn(dir, ['check']);
    expect(code).toBe(0);
    expect(stdout).toContain('WARNINGS:\n(templates.W001) TEMPLATES.DIRS entry \'missing-templates\' does not exist');
    expect(stdout).toContain('System check identified 1 issue (0 silenced).');
  });

  it('fails on a placeholder SECRET_KEY and empty ALLOWED_HOSTS when DEBUG is off', async () => {
    const dir = project({
      'settings.ts': settingsFile("{ SECRET_KEY: 'dev-only-insecure-key-for-local-development', DEBUG: false, STATIC_ROOT: 'staticfiles' }"),
      ...emptyUrls,
      'templates/.gitkeep': '',
    });
    const { code, stdout, stderr } = await manageIn(dir, ['check']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain("ERRORS:\n(core.E001) SECRET_KEY contains the word 'dev-only', so it looks like a placeholder, and DEBUG is off.");
    expect(stderr).toContain('\tHINT: Generate one with');
    expect(stderr).toContain('(core.E002) ALLOWED_HOSTS is empty and DEBUG is off');
    expect(stderr).toContain('System check identified 2 issues (0 silenced).');
    expect(stderr).not.toContain('dev-only-insecure-key-for-local-development');
  });

  it('--deploy adds the production warnings; --fail-level warning makes them fail', async () => {
    const dir = project({
      'settings.ts': settingsFile(`{ SECRET_KEY: '${GOOD_KEY}', DEBUG: true, STATIC_ROOT: 'staticfiles', SILENCED_SYSTEM_CHECKS: ['security.W008'] }`),
      ...emptyUrls,
      'templates/.gitkeep': '',
    });
    const deploy = await manageIn(dir, ['check', '--deploy']);
    expect(deploy.code).toBe(0);
    expect(deploy.stdout).toContain('(security.W004) SECURE_HSTS_SECONDS is 0');
    expect(deploy.stdout).toContain('(security.W018) DEBUG is on');
    expect(deploy.stdout).not.toContain('security.W008');
    expect(deploy.stdout).toContain('System check identified 2 issues (1 silenced).');

    const strict = await manageIn(dir, ['check', '--deploy', '--fail-level', 'warning']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('(security.W018)');
  });

  it('runs the checks an installed app contributes', async () => {
    const dir = project({
      'settings.ts': settingsFile(`{ SECRET_KEY: '${GOOD_KEY}', DEBUG: true, STATIC_ROOT: 'staticfiles', INSTALLED_APPS: ['shop'] }`),
      ...emptyUrls,
      'templates/.gitkeep': '',
      'shop/app.ts': [
        "import { defineApp } from '@atrium/core';",
        'export default defineApp({',
        "  label: 'shop',",
        '  path: import.meta.dirname,',
        "  extensions: { checks: [() => [{ level: 'error', id: 'shop.E001', message: 'CURRENCY is not set.', hint: 'Set CURRENCY.' }]] },",
        '});',
        '',
      ].join('\n'),
    });
    const { code, stderr } = await manageIn(dir, ['check']);
    expect(code).toBe(1);
    expect(stderr).toContain('(shop.E001) CURRENCY is not set.\n\tHINT: Set CURRENCY.');
  });

  it('tells how to fix a project that is not an ES module package', async () => {
    const dir = project({ 'settings.ts': settingsFile(`{ SECRET_KEY: '${GOOD_KEY}', DEBUG: true }`), ...emptyUrls }, null);
    const { code, stderr } = await manageIn(dir, ['check']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Error: Could not load settings module .*settings\.ts: /);
    expect(stderr).toContain('Atrium projects are ES modules: add "type": "module" to the project\'s package.json');
  });

  it('says where it looked when there is no project', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atrium-noproject-'));
    made.push(dir);
    const { code, stderr } = await manageIn(dir, ['check']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^Error: No settings\.ts found in .*atrium-noproject-/);
  });

  it('honours --settings for a settings file elsewhere', async () => {
    const dir = project({
      'conf/prod.ts': settingsFile(`{ SECRET_KEY: '${GOOD_KEY}', DEBUG: true, STATIC_ROOT: 'staticfiles', TEMPLATES: { DIRS: [] } }`),
      'conf/urls.ts': 'export default [];\n',
    });
    const { code, stdout } = await manageIn(dir, ['--settings', 'conf/prod.ts', 'check']);
    expect(code).toBe(0);
    expect(stdout).toBe('System check identified no issues (0 silenced).\n');
  });
});
