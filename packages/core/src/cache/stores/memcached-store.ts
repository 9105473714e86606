import type memjs from 'memjs';
import { CacheUnavailable, CacheValueError } from '../../errors.js';
import type { CacheStore } from '../cache-store.js';

export interface MemcachedStoreOptions {
  /** 'host:port' servers, comma-separated or a list (default 127.0.0.1:11211). */
  servers?: string | readonly string[];
  /** ms to connect or answer before the cache counts as down (default 500). */
  timeout?: number;
}

/** Memcached reads an expiry above 30 days as a Unix time, not a duration. */
const RELATIVE_EXPIRY_LIMIT = 60 * 60 * 24 * 30;
/** Binary protocol: an incr expiry of 0xffffffff means "fail if the key is missing" (instead of creating it). */
const INCR_NO_CREATE = 0xffffffff;
/** memjs' own protocol errors start with this; socket failures do not. */
const PROTOCOL_ERROR = /^MemJS [A-Z]+: /;

const silentLogger = { log: (): void => {} };

/**
 * Memcached (memjs, binary protocol). Expiry has one-second resolution
 * (sub-second timeouts round up); keys are limited to 250 bytes without
 * spaces (the Cache checks strictly for this backend); counters are
 * unsigned (decr stops at 0); clear() flushes the whole server.
 * @example new Cache(new MemcachedStore({ servers: '127.0.0.1:11211' }), { strictKeys: true })
 */
export class MemcachedStore implements CacheStore {
  readonly name = 'memcached';
  readonly servers: string;
  readonly #timeout: number;
  /** Made on first use: memjs is loaded only by projects that use it. */
  #client: Promise<memjs.Client> | null = null;

  constructor(options: MemcachedStoreOptions = {}) {
    const servers = options.servers ?? '127.0.0.1:11211';
    this.servers = typeof servers === 'string' ? servers : servers.join(',');
    this.#timeout = options.timeout ?? 500;
  }

  get(key: string): Promise<string | undefined> {
    return this.#run(async (client) => {
      const { value } = await client.get(key);
      return value === null ? undefined : value.toString('utf8');
    });
  }

  async getMany(keys: readonly string[]): Promise<Map<string, string>> {
    // memjs pipelines these on one connection per server.
    const values = await Promise.all(keys.map((key) => this.get(key)));
    const out = new Map<string, string>();
    keys.forEach((key, i) => {
      const value = values[i];
      if (value !== undefined) out.set(key, value);
    });
    return out;
  }

  set(key: string, value: string, ttl: number | null): Promise<void> {
    return this.#run(async (client) => {
      await client.set(key, value, { expires: expiry(ttl) });
    });
  }

  async setMany(entries: ReadonlyMap<string, string>, ttl: number | null): Promise<void> {
    await Promise.all([...entries].map(([key, value]) => this.set(key, value, ttl)));
  }

  add(key: string, value: string, ttl: number | null): Promise<boolean> {
    return this.#run((client) => client.add(key, value, { expires: expiry(ttl) }));
  }

  delete(key: string): Promise<boolean> {
    return this.#run((client) => client.delete(key));
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.delete(key)));
  }

  incr(key: string, delta: number): Promise<number | undefined> {
    return this.#run(async (client) => {
      const options = { expires: INCR_NO_CREATE };
      try {
        const result = delta >= 0 ? await client.increment(key, delta, options) : await client.decrement(key, -delta, options);
        return result.value ?? undefined;
      } catch (error) {
        const message = (error as Error).message;
        if (/not found/i.test(message)) return undefined;
        if (/non-numeric/i.test(message)) throw new CacheValueError(`Cannot increment cache key '${key}' on memcached: its value is not an unsigned integer.`);
        throw error;
      }
    });
  }

  touch(key: string, ttl: number | null): Promise<boolean> {
    return this.#run((client) => client.touch(key, expiry(ttl)));
  }

  has(key: string): Promise<boolean> {
    return this.#run(async (client) => (await client.get(key)).value !== null);
  }

  clear(): Promise<void> {
    return this.#run(async (client) => {
      await client.flush();
    });
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = null;
    if (client) (await client).close();
  }

  #connect(): Promise<memjs.Client> {
    this.#client ??= import('memjs').then(({ default: memjsModule }) => {
      const seconds = this.#timeout / 1000;
      // retries: 1 = no retry (memjs counts the first attempt); a request must not wait out an outage.
      return memjsModule.Client.create(this.servers, { retries: 1, timeout: seconds, conntimeout: seconds, logger: silentLogger, keepAlive: true });
    });
    return this.#client;
  }

  /** A memcached reply error (too large, wrong type) is a misuse; a socket failure is an outage. */
  async #run<R>(work: (client: memjs.Client) => Promise<R>): Promise<R> {
    const client = await this.#connect();
    try {
      return await work(client);
    } catch (error) {
      if (error instanceof CacheValueError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (PROTOCOL_ERROR.test(message)) {
        // A value over memcached's item size is not cached, as a cache may always drop an entry.
        if (/too large/i.test(message)) return undefined as R;
        throw error;
      }
      throw new CacheUnavailable(`memcached at ${this.servers} failed: ${message}`, { cause: error });
    }
  }
}

/** ms (or null = never) as memcached's expiry: whole seconds, absolute past 30 days. */
function expiry(ttl: number | null): number {
  if (ttl === null) return 0;
  const seconds = Math.ceil(ttl / 1000);
  return seconds > RELATIVE_EXPIRY_LIMIT ? Math.floor(Date.now() / 1000) + seconds : seconds;
}
