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
 * fails at once while Redis is known to be down.
 */
export class RedisConnection {
  readonly client: Redis;
  readonly url: string;
  readonly #timeout: number;
  /** The last connection error since the last successful connection; null when healthy. */
  #lastError: Error | null = null;

  constructor(options: RedisConnectionOptions) {
    this.url = options.url;
    this.#timeout = options.timeout;
    // Required here, not imported at the top: ioredis is about 20 MB, and a process whose settings name no Redis store never needs it.
    const { Redis: RedisClient } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
    this.client = new RedisClient(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: options.timeout,
      commandTimeout: options.timeout,
      // Keep trying in the background, at most once a second, so service resumes when Redis is back.
      retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    });
    // Without a listener, an 'error' event would crash the process; record it instead.
    this.client.on('error', (error: Error) => {
      this.#lastError = error;
    });
    this.client.on('ready', () => {
      this.#lastError = null;
    });
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
    const client = this.client;
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
