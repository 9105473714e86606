import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { CliRuntime } from '../src/cli-runtime.js';
import { readInstalledApps } from '../src/discovery/read-installed-apps.js';

const repo = resolve(import.meta.dirname, '../../..');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** The environment without ATRIUM_* overrides, which would change the settings read. */
function cleanEnv(): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ATRIUM_')));
}

/** A project folder (new, so it has no INSTALLED_APPS cache) whose settings.ts counts its runs in this process. */
function project(settingsSource: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'atrium-probe-'));
  made.push(dir);
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'settings.ts'), settingsSource);
  return dir;
}

const COUNTING_SETTINGS = [
  "import { defineSettings } from '@atrium/core';",
  'const runs = globalThis as { settingsRuns?: number };',
  'runs.settingsRuns = (runs.settingsRuns ?? 0) + 1;',
  "console.log('settings.ts ran');",
  "export default defineSettings({ SECRET_KEY: 'dev-only-insecure-probe-test-key-0123456789', DEBUG: true, INSTALLED_APPS: ['@atrium/orm', 'notes'] });",
  '',
].join('\n');

describe('INSTALLED_APPS read ahead of a first load (issue #10)', { timeout: 60_000 }, () => {
  it('reads them in another process, so this one has not run settings.ts yet', async () => {
    const dir = project(COUNTING_SETTINGS);
    const runtime = new CliRuntime({ cwd: dir, stdout: new PassThrough(), stderr: new PassThrough(), env: cleanEnv() });
    expect(runtime.cachedInstalledApps()).toBeNull();

    await runtime.prepareInstalledApps();

    expect(runtime.cachedInstalledApps()).toEqual(['@atrium/orm', 'notes']);
    expect((globalThis as { settingsRuns?: number }).settingsRuns).toBeUndefined();
  });

  it('applies the ATRIUM_ environment overrides, as loadProject does', async () => {
    const dir = project(COUNTING_SETTINGS);
    expect(await readInstalledApps(join(dir, 'settings.ts'), { cwd: dir, env: { ...cleanEnv(), ATRIUM_INSTALLED_APPS: '@atrium/orm,notes,extra' } })).toEqual(['@atrium/orm', 'notes', 'extra']);
  });

  it('gives up quietly on a settings module that fails, leaving the error to the normal load', async () => {
    const dir = project("export default { SECRET_KEY: 'dev-only-insecure-probe-test-key-0123456789', INSTALLED_APPS: [\n");
    const runtime = new CliRuntime({ cwd: dir, stdout: new PassThrough(), stderr: new PassThrough(), env: cleanEnv() });
    await runtime.prepareInstalledApps();
    expect(runtime.cachedInstalledApps()).toBeNull();
    await expect(runtime.loadProject()).rejects.toThrow(/settings/);
  });
});
