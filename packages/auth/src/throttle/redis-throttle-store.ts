import { RedisConnection } from '@atrium/core/redis';
import type { ThrottleStore } from './throttle-store.js';

/** INCR, and start the window's expiry on the first hit, atomically (no counter left without a TTL). */
const INCREMENT_SCRIPT = "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end return n";

/**
 * Throttle counters in Redis, shared by every worker: a counter per window
 * with a TTL, and lock keys that expire by themselves.
 * @example const store = new RedisThrottleStore({ url: 'redis://127.0.0.1:6379/0' });
 */
export class RedisThrottleStore implements ThrottleStore {
  readonly connection: RedisConnection;
  readonly #prefix: string;

  constructor(options: { url: string; keyPrefix?: string; timeout?: number }) {
    this.connection = new RedisConnection({ url: options.url, timeout: options.timeout ?? 1000 });
    this.#prefix = options.keyPrefix ?? 'atrium:throttle:';
  }

  async increment(key: string, windowSeconds: number): Promise<number> {
    const redis = await this.connection.ready();
    return Number(await redis.eval(INCREMENT_SCRIPT, 1, this.#prefix + key, windowSeconds));
  }

  async count(key: string): Promise<number> {
    const redis = await this.connection.ready();
    return Number((await redis.get(this.#prefix + key)) ?? 0);
  }

  async lock(key: string, seconds: number): Promise<void> {
    const redis = await this.connection.ready();
    await redis.set(this.#prefix + key, '1', 'EX', seconds);
  }

  async lockedFor(key: string): Promise<number> {
    const redis = await this.connection.ready();
    const ttl = await redis.ttl(this.#prefix + key);
    return ttl > 0 ? ttl : 0;
  }

  async delete(...keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const redis = await this.connection.ready();
    await redis.del(...keys.map((key) => this.#prefix + key));
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
