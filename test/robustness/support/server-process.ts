import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { MANAGE, type TestProject } from './project.js';

/** A port nothing listens on right now. */
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

const running = new Set<ServerProcess>();

/** SIGKILL every server a test left running (afterAll/afterEach safety net). */
export function killAllServers(): void {
  for (const server of running) server.kill('SIGKILL');
}

/**
 * The project served by a real child process over a real socket:
 * `manage runserver --noreload` (one process). Output is collected for
 * assertions and failure messages.
 */
export class ServerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly port: number;
  readonly url: string;
  stdout = '';
  stderr = '';
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
