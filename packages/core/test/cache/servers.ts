import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';

/** A free loopback port (bound then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Resolve once something accepts connections on `port` (bounded: 5 s). */
async function waitForPort(port: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A private redis-server or memcached on its own port, for tests that flush
 * it or kill it (the shared servers on 6379/11211 are left alone).
 */
export class TestServer {
  #child: ChildProcess | null = null;
  constructor(
    readonly kind: 'redis' | 'memcached',
    readonly port: number,
  ) {}

  static async start(kind: 'redis' | 'memcached', port?: number): Promise<TestServer> {
    const server = new TestServer(kind, port ?? (await freePort()));
    await server.start();
    return server;
  }

  async start(): Promise<void> {
    const args =
      this.kind === 'redis'
        ? ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']
        : ['-p', String(this.port), '-l', '127.0.0.1', '-U', '0', '-m', '16', ...(process.getuid?.() === 0 ? ['-u', 'root'] : [])];
    const child = spawn(this.kind === 'redis' ? 'redis-server' : 'memcached', args, { stdio: 'ignore' });
    this.#child = child;
    await waitForPort(this.port);
  }

  /** Kill the server (SIGKILL: it goes away without a goodbye) and wait for it to exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }
}
