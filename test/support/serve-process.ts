import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repo = resolve(import.meta.dirname, '../..');
export const manageBin = join(repo, 'packages/cli/bin/manage.js');

/** The line `manage serve` prints once every worker is ready: count, pids, URL, primary pid. */
export const SERVE_BANNER = /manage serve: (\d+) worker\(s\) \(pids ([\d, ]+)\) at (\S+) — primary pid (\d+)/;

/** A port nothing listens on right now: bind port 0, read it, release it. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A SECRET_KEY that passes every check (random, 64 characters). */
export function strongSecretKey(): string {
  return randomBytes(48).toString('base64url');
}

/** The environment without ATRIUM_* overrides and DEBUG, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('ATRIUM_') && key !== 'DEBUG' && key !== 'NODE_OPTIONS') env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * A temporary project folder that resolves @atrium/* from the repository
 * (node_modules symlinked). `files` maps relative paths to contents.
 */
export function makeProject(prefix: string, files: Record<string, string>): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A running `manage` process with its output so far; every one started is killed by `killAll()`. */
export class ManageProcess {
  static readonly running = new Set<ManageProcess>();
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(cwd: string, args: string[], env: Record<string, string> = cleanEnv()) {
    this.child = spawn(process.execPath, [manageBin, ...args], { cwd, env });
    this.child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolveExit) => this.child.on('exit', (code) => resolveExit(code)));
    ManageProcess.running.add(this);
    void this.exited.then(() => ManageProcess.running.delete(this));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolve with the `count`-th match of `pattern` in stdout+stderr (polling; bounded by `timeoutMs`). */
  waitFor(pattern: RegExp, count = 1, timeoutMs = 240_000): Promise<RegExpMatchArray> {
    return waitForOutput(this, pattern, count, timeoutMs);
  }

  /** Kill every process still running (afterEach/afterAll), children of a primary included when it is gone. */
  static killAll(): void {
    for (const proc of ManageProcess.running) proc.child.kill('SIGKILL');
  }
}

/** A child process whose output a test collects as it comes. */
export interface OutputSource {
  readonly stdout: string;
  readonly stderr: string;
  readonly exited: Promise<unknown>;
}

/**
 * Resolve with the `count`-th match of `pattern` in the process's
 * stdout+stderr, polling every 50 ms; fail with the whole output when the
 * process exits first or `timeoutMs` passes.
 * @example const banner = await waitForOutput(server, /manage serve: (\d+) worker/);
 */
export async function waitForOutput(source: OutputSource, pattern: RegExp, count = 1, timeoutMs = 240_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void source.exited.then(() => (exited = true));
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  for (;;) {
    const matches = [...`${source.stdout}\n${source.stderr}`.matchAll(global)];
    if (matches.length >= count) return matches[count - 1]!;
    if (exited || Date.now() > deadline) {
      throw new Error(`${exited ? 'manage exited' : 'timed out'} waiting for ${pattern} (x${count}); stdout:\n${source.stdout}\nstderr:\n${source.stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
