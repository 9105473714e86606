import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { connect } from 'node:net';
import { freePort, SERVE_BANNER, waitForOutput } from '../../support/serve-process.js';
import { MANAGE, type TestProject } from './project.js';

const running = new Set<ServerProcess>();

/** SIGKILL every server a test left running (afterAll/afterEach safety net). */
export function killAllServers(): void {
  for (const server of running) server.kill('SIGKILL');
}

/**
 * The project served by a real child process over a real socket:
 * `manage runserver --noreload` (one process, `start`) or the production
 * server `manage serve` (a primary and its workers, `serve`). Output is
 * collected for assertions and failure messages.
 */
export class ServerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly port: number;
  readonly url: string;
  stdout = '';
  stderr = '';
  /** The pids of the workers `manage serve` started with (empty for runserver). */
  workerPids: number[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #exitedNow = false;

  private constructor(project: TestProject, args: string[], port: number, env: Record<string, string>) {
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.child = spawn(process.execPath, [MANAGE, ...args], { cwd: project.dir, env: { ...project.env, ...env } });
    this.child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((done) =>
      this.child.on('exit', (code, signal) => {
        this.#exitedNow = true;
        running.delete(this);
        done({ code, signal });
      }),
    );
    running.add(this);
  }

  /** Start `manage runserver --noreload` on a free port and wait until it answers. */
  static async start(project: TestProject, options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ServerProcess> {
    const port = await freePort();
    const server = new ServerProcess(project, ['runserver', '--noreload', `127.0.0.1:${port}`], port, options.env ?? {});
    await server.waitUntilAnswering(options.timeoutMs ?? 30_000);
    return server;
  }

  /**
   * Start `manage serve --workers N` on a free loopback port and wait for its
   * banner (every worker ready). `child` is the primary; the banner's worker
   * pids are in `workerPids`.
   */
  static async serve(project: TestProject, options: { workers?: number; args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<ServerProcess> {
    const port = await freePort();
    const args = ['serve', '--workers', String(options.workers ?? 2), '--bind', `127.0.0.1:${port}`, ...(options.args ?? [])];
    const server = new ServerProcess(project, args, port, options.env ?? {});
    const banner = await server.waitForOutput(SERVE_BANNER, 1, options.timeoutMs ?? 60_000);
    server.workerPids = banner[2]!.split(', ').map(Number);
    return server;
  }

  /** The `count`-th match of `pattern` in the output so far or to come (bounded by `timeoutMs`). */
  waitForOutput(pattern: RegExp, count = 1, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    return waitForOutput(this, pattern, count, timeoutMs);
  }

  get alive(): boolean {
    return !this.#exitedNow && this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  async stop(graceMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (!this.alive) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.kill('SIGKILL'), graceMs);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }

  /** Poll until GET /api/pid/ answers 200, or fail with the server's output. */
  async waitUntilAnswering(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.alive) throw new Error(`the server exited before answering\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      try {
        const response = await fetch(`${this.url}/api/pid/`, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        if (response.status === 200) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`the server did not answer within ${timeoutMs} ms\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
  }
}

export interface RawResponse {
  /** The status code of the first response, or null when the server sent nothing parseable. */
  status: number | null;
  /** Everything the server sent. */
  text: string;
  /** True when the server closed the connection (within the wait). */
  closed: boolean;
}

/**
 * Write `chunks` on a fresh TCP connection, then read until the server closes
 * or `waitMs` passes. For requests fetch() cannot send: wrong
 * Content-Length, huge or slow headers, aborted uploads.
 */
export function rawRequest(port: number, chunks: ReadonlyArray<string | Uint8Array>, options: { waitMs?: number; delayBetweenMs?: number; endAfterWrite?: boolean; destroyAfterWrite?: boolean } = {}): Promise<RawResponse> {
  return new Promise((done, reject) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let closed = false;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const text = Buffer.concat(received).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      socket.destroy();
      done({ status: match ? Number(match[1]) : null, text, closed });
    };
    const timer = setTimeout(finish, options.waitMs ?? 5_000);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after the server answered and closed still counts as closed.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') {
        closed = true;
        finish();
      } else if (!finished) {
        finished = true;
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.on('connect', async () => {
      try {
        for (const [i, chunk] of chunks.entries()) {
          if (i > 0 && options.delayBetweenMs) await new Promise((wait) => setTimeout(wait, options.delayBetweenMs));
          if (socket.destroyed) return;
          socket.write(chunk);
        }
        if (options.destroyAfterWrite) {
          await new Promise((wait) => setTimeout(wait, 50));
          socket.destroy();
          closed = true;
          finish();
        } else if (options.endAfterWrite) socket.end();
      } catch {
        // The server closed first; 'close' reports it.
      }
    });
  });
}
