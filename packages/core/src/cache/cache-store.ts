import type { JsonCopier } from './plain-json-copy.js';

/**
 * What a cache backend implements: storage of serialized values under full
 * keys (prefix and version already applied). The `Cache` class in front of
 * it does key making and validation, timeouts, serialization, stampede
 * protection and outage handling, so a backend stays small.
 *
 * `ttl` is milliseconds (> 0) or null for "never expires". A backend that
 * cannot reach its server throws CacheUnavailable; anything else it throws
 * is a bug or a misuse and reaches the caller.
 */
export interface CacheStore {
  /** 'locmem', 'redis', ... for messages. */
  readonly name: string;
  get(key: string): Promise<string | undefined>;
  getMany(keys: readonly string[]): Promise<Map<string, string>>;
  set(key: string, value: string, ttl: number | null): Promise<void>;
  setMany(entries: ReadonlyMap<string, string>, ttl: number | null): Promise<void>;
  /** Store only when absent; true when stored. */
  add(key: string, value: string, ttl: number | null): Promise<boolean>;
  /** True when the key existed. */
  delete(key: string): Promise<boolean>;
  deleteMany(keys: readonly string[]): Promise<void>;
  /**
   * Add `delta` to the integer stored under `key` and return the new value,
   * keeping the key's expiry; undefined when the key is absent. Throws
   * CacheValueError when the stored value is not an integer.
   */
  incr(key: string, delta: number): Promise<number | undefined>;
  /** Give an existing key a new expiry; false when absent. */
  touch(key: string, ttl: number | null): Promise<boolean>;
  has(key: string): Promise<boolean>;
  /** Remove every key starting with `prefix` ('' = everything this store holds). */
  clear(prefix: string): Promise<void>;
  /** Release connections; the store is not used afterwards. */
  close(): Promise<void>;
  /**
   * Optional, for stores inside this process (locmem), with peekClock():
   * the live entry under `key` as of `now`, read synchronously (it counts as
   * a read for recency), or undefined. `known` is what peek() returned for
   * this key last time (the Cache remembers it per key), or undefined: a
   * store may check that entry is still live instead of looking the key up
   * again. It lets the Cache skip a promise and a JSON.parse per read; the
   * Cache copies a decoded value before handing it out, so callers never
   * share it.
   */
  peek?(key: string, known: PeekedEntry | undefined, now: number): PeekedEntry | undefined;
  /** With peek(): the time to pass it, read once for a batch of keys. */
  peekClock?(): number;
}

/**
 * An entry as peek() shows it: the decoded value of plain JSON text
 * (`text` undefined), or the text itself when it holds tagged values
 * (Date, bytes, bigint) or is not JSON, for the Cache to decode per read.
 * Only the store that returned it reads or changes its other fields; once
 * removed, an entry holds no value any more.
 */
export interface PeekedEntry {
  readonly text: string | undefined;
  readonly value: unknown;
  /** Makes each reader's private copy of `value` (for decoded JSON; copyPlainJson is always right). */
  readonly copy: JsonCopier;
}

/** Options every backend factory receives, from one CACHES entry. */
export interface CacheStoreConfig {
  /** The CACHES alias, for messages. */
  alias: string;
  /** LOCATION: a name (locmem), URL(s) (redis, memcached), a table (database). */
  location: string | readonly string[];
  /** OPTIONS, backend specific; each factory validates its own. */
  options: Readonly<Record<string, unknown>>;
}

/** Builds a backend from its CACHES entry; registered by name (BACKEND). */
export type CacheStoreFactory = (config: CacheStoreConfig) => CacheStore;
