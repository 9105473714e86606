import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import { redactUrl } from './redact-url.js';

export interface RedisConnectionOptions {
  url: string;
  /** ms to connect, or to run one command, before the call fails. */
  timeout: number;
}

/**
 * An ioredis client tuned to fail fast: no offline queue and no per-command
 * retries (a request must not wait for Redis to come back), a command timeout,
 * and reconnection in the background so the store recovers without a restart.
 * `ready()` waits for the first connection (bounded by the timeout), and
 * fails at once while Redis is known to be down. ioredis is loaded and the
 * client made on first use, not when the connection object is: stores are
 * made when the project loads, and a worker that serves no request needing
 * Redis (an idle one, or one that sees no session cookie) never needs the
 * library, about 6 MB of a `manage serve` worker's memory (issue #10).
 */
export class RedisConnection {
  readonly url: string;
  readonly #timeout: number;
  #client: Redis | null = null;
  /** close() was called: a client made afterwards starts ended, as one closed before first use would be. */
  #closed = false;
  /** The last connection error since the last successful connection; null when healthy. */
  #lastError: Error | null = null;

  constructor(options: RedisConnectionOptions) {
    this.url = options.url;
    this.#timeout = options.timeout;
  }

  /** The ioredis client, made (and ioredis loaded) on first access; it connects on the first ready(). */
  get client(): Redis {
    if (this.#client === null) {
      const { Redis: RedisClient } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
      const client = new RedisClient(this.url, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectTimeout: this.#timeout,
        commandTimeout: this.#timeout,
        // Keep trying in the background, at most once a second, so service resumes when Redis is back.
        retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
      });
      // Without a listener, an 'error' event would crash the process; record it instead.
      client.on('error', (error: Error) => {
        this.#lastError = error;
      });
      client.on('ready', () => {
        this.#lastError = null;
      });
      if (this.#closed) client.disconnect();
      this.#client = client;
    }
    return this.#client;
  }

  /** The client once connected; throws quickly when Redis cannot be reached. */
  async ready(): Promise<Redis> {
    const client = this.client;
    if (client.status === 'ready') return client;
    if (client.status === 'end') throw new Error(`Redis connection to ${redactUrl(this.url)} is closed`);
    if (this.#lastError !== null) throw new Error(`Redis at ${redactUrl(this.url)} is unreachable: ${this.#lastError.message}`);
    if (client.status === 'wait') client.connect().catch(() => undefined);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`Redis at ${redactUrl(this.url)} did not answer within ${this.#timeout} ms`)), this.#timeout);
      const onReady = (): void => finish();
      const onError = (error: Error): void => finish(error);
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        client.off('ready', onReady);
        client.off('error', onError);
        if (error) reject(error);
        else resolve();
      };
      client.once('ready', onReady);
      client.once('error', onError);
    });
    return client;
  }

  /** Quit (or drop the socket if Redis does not answer) and stop reconnecting; resolves once the client has ended. */
  async close(): Promise<void> {
    this.#closed = true;
    // Never used: nothing connected, and loading ioredis now only to close it would be waste.
    if (this.#client === null) return;
    const client = this.#client;
    if (client.status === 'end') return;
    if (client.status === 'wait') {
      client.disconnect();
      return;
    }
    const ended = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.#timeout);
      client.once('end', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    try {
      await client.quit();
    } catch {
      client.disconnect();
    }
    await ended;
  }
}
