import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../../..');
const manage = join(repo, 'packages/cli/bin/manage.js');
const starter = join(repo, 'starter');
// The starter's static files: its own apps' and the admin's (an installed app); each gets a hashed copy.
const staticDirs = [...readdirSync(starter).map((app) => join(starter, app, 'static')).filter((dir) => existsSync(dir)), join(repo, 'packages/admin/static')];
const found = staticDirs
  .map((dir) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length)
  .reduce((sum, count) => sum + count, 0);
const files = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

let out: string;
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'atrium-collected-'));
});
afterEach(() => {
  rmSync(out, { recursive: true, force: true });
});

/** Run manage in the starter with STATIC_ROOT pointed at a temp folder (ATRIUM_STATIC_ROOT overrides the setting). */
function collect(args: string[], staticRoot: string = out): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !key.startsWith('ATRIUM_') && key !== 'DEBUG') env[key] = value;
  env['ATRIUM_STATIC_ROOT'] = staticRoot;
  return new Promise((done, reject) => {
    // stdin is not a terminal here, like in CI.
    const child = spawn(process.execPath, [manage, 'collectstatic', ...args], { cwd: starter, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end();
  });
}

// Each test starts the starter project (all its apps) once or twice in a child process: slow on a loaded machine.
describe('manage collectstatic', { timeout: 120_000 }, () => {
  it('copies the apps\' static files with hashed copies and a manifest, and prints the counts', async () => {
    const first = await collect(['--noinput']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`${files(found, 'static file', 'static files')} copied to ${out}, 0 unmodified, ${files(found, 'hashed copy', 'hashed copies')} written (${found} found).\n`);
    expect(readFileSync(join(out, 'pages/site.css'), 'utf8')).toBe(readFileSync(join(starter, 'pages/static/pages/site.css'), 'utf8'));
    expect(existsSync(join(out, 'staticfiles.json'))).toBe(true);

    const second = await collect(['--noinput']);
    expect(second.stdout).toBe(`0 static files copied to ${out}, ${found} unmodified, 0 hashed copies written (${found} found).\n`);
  });

  it('asks before overwriting, and without a terminal points at --noinput', async () => {
    await collect(['--noinput']);
    const { code, stdout, stderr } = await collect([]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`Error: This will overwrite existing files in ${out}. Are you sure? There is no terminal to confirm on; pass --noinput to go ahead without asking.\n`);
  });

  it('--clear empties STATIC_ROOT first', async () => {
    await collect(['--noinput']);
    const { code, stdout } = await collect(['--clear', '--noinput']);
    expect(code).toBe(0);
    expect(stdout).toBe(`Cleared ${out}.\n${files(found, 'static file', 'static files')} copied to ${out}, 0 unmodified, ${files(found, 'hashed copy', 'hashed copies')} written (${found} found).\n`);
  });

  it('explains a missing STATIC_ROOT', async () => {
    const { code, stderr } = await collect(['--noinput'], 'null');
    expect(code).toBe(1);
    expect(stderr).toBe("Error: STATIC_ROOT is not set, so collectstatic has nowhere to copy files; set it in settings, e.g. STATIC_ROOT: 'staticfiles'.\n");
  });
});
