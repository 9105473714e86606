import type { Redis } from 'ioredis';
import { CacheUnavailable, CacheValueError } from '../../errors.js';
import type { RedisConnection } from '../../redis/redis-connection.js';
import { redactUrl } from '../../redis/redact-url.js';
import type { CacheStore } from '../cache-store.js';

export interface RedisStoreOptions {
  /** redis://[user:password@]host:port/db (default redis://127.0.0.1:6379/0). */
  url?: string;
  /** ms to connect or run one command before the cache counts as down (default 500). */
  timeout?: number;
}

/** Increment only an existing key (INCRBY alone would create it), keeping its TTL. */
const INCR_EXISTING = "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCRBY', KEYS[1], ARGV[1]) else return false end";

/** Keys per SCAN/UNLINK round when clearing a prefix. */
const SCAN_BATCH = 500;

/**
 * Redis (ioredis), shared by every worker on every machine. Expiry is
 * Redis' own (PX), incr is atomic on the server, clear() removes only this
 * cache's KEY_PREFIX (SCAN + UNLINK) unless there is none (FLUSHDB).
 * Fails fast while Redis is down (no offline queue) and reconnects in the
 * background.
 * @example new Cache(new RedisStore({ url: 'redis://127.0.0.1:6379/1' }))
 */
export class RedisStore implements CacheStore {
  readonly name = 'redis';
  readonly url: string;
  readonly #timeout: number;
  /** Made on first use: ioredis is loaded only by projects that use it. */
  #connection: Promise<RedisConnection> | null = null;

  constructor(options: RedisStoreOptions = {}) {
    this.url = options.url ?? 'redis://127.0.0.1:6379/0';
    this.#timeout = options.timeout ?? 500;
  }

  get(key: string): Promise<string | undefined> {
    return this.#run(async (redis) => (await redis.get(key)) ?? undefined);
  }

  getMany(keys: readonly string[]): Promise<Map<string, string>> {
    return this.#run(async (redis) => {
      const out = new Map<string, string>();
      if (keys.length === 0) return out;
      const values = await redis.mget(...keys);
      keys.forEach((key, i) => {
        const value = values[i];
        if (value !== null && value !== undefined) out.set(key, value);
      });
      return out;
    });
  }

  set(key: string, value: string, ttl: number | null): Promise<void> {
    return this.#run(async (redis) => {
      if (ttl === null) await redis.set(key, value);
      else await redis.set(key, value, 'PX', ttl);
    });
  }

  setMany(entries: ReadonlyMap<string, string>, ttl: number | null): Promise<void> {
    return this.#run(async (redis) => {
      if (entries.size === 0) return;
      const batch = redis.multi();
      for (const [key, value] of entries) {
        if (ttl === null) batch.set(key, value);
        else batch.set(key, value, 'PX', ttl);
      }
      await execOrThrow(batch.exec());
    });
  }

  add(key: string, value: string, ttl: number | null): Promise<boolean> {
    return this.#run(async (redis) => {
      const reply = ttl === null ? await redis.set(key, value, 'NX') : await redis.set(key, value, 'PX', ttl, 'NX');
      return reply === 'OK';
    });
  }

  delete(key: string): Promise<boolean> {
    return this.#run(async (redis) => (await redis.del(key)) > 0);
  }

  deleteMany(keys: readonly string[]): Promise<void> {
    return this.#run(async (redis) => {
      if (keys.length > 0) await redis.del(...keys);
    });
  }

  incr(key: string, delta: number): Promise<number | undefined> {
    return this.#run(async (redis) => {
      const reply = await redis.eval(INCR_EXISTING, 1, key, delta);
      return reply === null ? undefined : Number(reply);
    });
  }

  touch(key: string, ttl: number | null): Promise<boolean> {
    return this.#run(async (redis) => {
      if (ttl !== null) return (await redis.pexpire(key, ttl)) === 1;
      const results = await execOrThrow(redis.multi().exists(key).persist(key).exec());
      return results[0] === 1;
    });
  }

  has(key: string): Promise<boolean> {
    return this.#run(async (redis) => (await redis.exists(key)) === 1);
  }

  clear(prefix: string): Promise<void> {
    return this.#run(async (redis) => {
      if (prefix === '') {
        await redis.flushdb();
        return;
      }
      const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
      let cursor = '0';
      // Bounded by the number of keys: SCAN visits each at least once and ends at cursor 0.
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_BATCH);
        if (keys.length > 0) await redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    });
  }

  async close(): Promise<void> {
    const connection = this.#connection;
    this.#connection = null;
    if (connection) await (await connection).close();
  }

  #connect(): Promise<RedisConnection> {
    this.#connection ??= import('../../redis/redis-connection.js').then(({ RedisConnection }) => new RedisConnection({ url: this.url, timeout: this.#timeout }));
    return this.#connection;
  }

  /** Run commands; a reply error (wrong type, not an integer) is a misuse, anything else an outage. */
  async #run<R>(work: (redis: Redis) => Promise<R>): Promise<R> {
    let redis: Redis;
    const connection = await this.#connect();
    try {
      redis = await connection.ready();
    } catch (error) {
      throw new CacheUnavailable((error as Error).message, { cause: error });
    }
    try {
      return await work(redis);
    } catch (error) {
      if (error instanceof CacheValueError) throw error;
      // ioredis' ReplyError: the server answered with an error.
      if (error instanceof Error && error.name === 'ReplyError') {
        const message = (error as Error).message;
        if (/not an integer|out of range/i.test(message)) throw new CacheValueError(`Cannot increment a cache value on Redis: ${message}`);
        throw error;
      }
      throw new CacheUnavailable(`Redis at ${redactUrl(this.url)} failed: ${(error as Error).message}`, { cause: error });
    }
  }
}

/** A MULTI's results, throwing the first command error (exec() reports them per command). */
async function execOrThrow(pending: Promise<Array<[Error | null, unknown]> | null>): Promise<unknown[]> {
  const results = await pending;
  if (results === null) throw new Error('Redis discarded the transaction');
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}
