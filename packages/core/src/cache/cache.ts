import { CacheKeyMissing, CacheUnavailable, CacheValueError, InvalidCacheKey } from '../errors.js';
import { assertCacheKey, assertNamespaceName, cacheKeyProblem, defaultKeyFunction, type CacheKey, type KeyFunction } from './cache-key.js';
import { deserializeCacheValue, serializeCacheValue } from './cache-serializer.js';
import type { CacheStore, PeekedEntry } from './cache-store.js';
import { RememberedKeys } from './remembered-keys.js';
import { rateLimitedLog, stderrCacheLog, type CacheLog } from './outage-log.js';

/** Most user keys whose stored key a Cache remembers; past it the memory starts over. */
const REMEMBERED_KEYS = 10_000;
/** Slots of the remembered-key table: REMEMBERED_KEYS keys fill 61% of it, below its two-thirds growth point. */
const REMEMBERED_SLOTS = 16_384;
/** Keys an in-process read takes through its passes at a time (see #peekInOrder). */
const PEEK_BATCH = 32;
/** Most namespaces a Cache keeps made (see namespace()); past it they are made afresh. */
const KEPT_NAMESPACES = 1_000;
/** Caches made by namespace(): their close() leaves the store to the cache they came from. */
const namespaces = new WeakSet<Cache>();

/** Seconds; `null` keeps the entry until evicted, 0 or less does not store it. */
export type CacheTimeout = number | null;

export interface CacheOptions {
  /** The CACHES alias, named in warnings. */
  alias?: string;
  /** Seconds used when a call passes no timeout (TIMEOUT); default 300. */
  timeout?: CacheTimeout;
  /** KEY_PREFIX: namespaces every key, so caches can share a server. */
  keyPrefix?: string;
  /** VERSION used when a call passes none; default 1. */
  version?: number;
  /** Builds the stored key (default `prefix:version:key`). */
  keyFunction?: KeyFunction;
  /** Throw InvalidCacheKey for keys memcached cannot store, instead of warning (the memcached backend sets it). */
  strictKeys?: boolean;
  /** Where warnings go (default process.stderr). */
  log?: CacheLog;
  /** At most one warning of each kind per this many ms (default 10 s). */
  warnInterval?: number;
}

/**
 * What getOrSetMany()'s compute returns: values by key, as a Map keyed by
 * the keys as given (integers for integer keys), or a plain object (its
 * property names are the keys' strings).
 */
export type CacheEntries<T, K extends CacheKey = string> = ReadonlyMap<K, T | undefined> | Readonly<Record<string, T | undefined>>;

/** getOrSetMany()'s compute, whatever its keys' type (the overloads tie that to the keys given). */
type ComputeMany<T> = (missing: never[]) => CacheEntries<T, CacheKey> | Promise<CacheEntries<T, CacheKey>>;

export interface VersionOption {
  /** Read or write this version instead of the cache's VERSION. */
  version?: number;
}

/**
 * A cache: one CACHES alias in front of its backend. Keys are prefixed and
 * versioned, values serialized as tagged JSON, timeouts in seconds.
 *
 * A backend that cannot reach its server never breaks the caller: reads
 * are misses, writes return false, getOrSet computes without storing; each
 * logs a (rate-limited) warning. Only incr/decr/incrVersion, which have no
 * meaningful miss, raise CacheUnavailable (a 503 if a view lets it through).
 *
 * A key is a non-empty string or an integer (stored as its decimal string,
 * so `5` and `'5'` are one entry); namespace() gives a view of the same
 * store whose keys cannot meet this one's.
 * @example
 * const posts = await cache.getOrSet('recent-posts', () => Post.objects.orderBy('-created').limit(10).all(), 60);
 */
export class Cache {
  readonly store: CacheStore;
  readonly alias: string;
  readonly defaultTimeout: CacheTimeout;
  readonly keyPrefix: string;
  readonly version: number;
  readonly #keyFunction: KeyFunction;
  readonly #strictKeys: boolean;
  readonly #warnOutage: CacheLog;
  readonly #warnKey: CacheLog;
  /** The options this cache was made with, for the namespaces it makes. */
  readonly #options: CacheOptions;
  /** Namespaces made by namespace(), by name: each keeps its remembered keys from call to call. */
  readonly #namespaces = new Map<string, Cache>();
  /**
   * Stored keys made for the cache's own VERSION, by user key (valid ones
   * only, so a bad key warns every time). Besides skipping the key function
   * and the validation, each slot keeps beside the stored key the entry an
   * in-process store's peek() returned last time, so reading that key again
   * is this one lookup and a look at that entry.
   */
  readonly #storedKeys = new RememberedKeys<string>(REMEMBERED_SLOTS);
  /** The store lives in this process (peek() and peekClock()): reads are synchronous. */
  readonly #peeks: boolean;
  /** getOrSet computations in progress, by stored key: concurrent callers share one. */
  readonly #inflight = new Map<string, Promise<unknown>>();
  /** #peekBatch's scratch: each key's slot in #storedKeys, then each key's entry. */
  readonly #batchSlots = new Int32Array(PEEK_BATCH);
  readonly #batchEntries: Array<PeekedEntry | undefined> = new Array<PeekedEntry | undefined>(PEEK_BATCH).fill(undefined);
  /** A #peekInOrder is using the scratch arrays. */
  #peeking = false;

  constructor(store: CacheStore, options: CacheOptions = {}) {
    this.store = store;
    this.#options = options;
    this.#peeks = store.peek !== undefined && store.peekClock !== undefined;
    this.alias = options.alias ?? 'default';
    this.defaultTimeout = options.timeout === undefined ? 300 : options.timeout;
    this.keyPrefix = options.keyPrefix ?? '';
    this.version = options.version ?? 1;
    this.#keyFunction = options.keyFunction ?? defaultKeyFunction;
    this.#strictKeys = options.strictKeys ?? false;
    const log = options.log ?? stderrCacheLog;
    const interval = options.warnInterval ?? 10_000;
    this.#warnOutage = rateLimitedLog(log, interval);
    this.#warnKey = rateLimitedLog(log, interval);
  }

  /**
   * The key as stored: prefix, version and key, validated.
   * @example cache.makeKey('sidebar') // ':1:sidebar' with no KEY_PREFIX
   */
  makeKey(key: CacheKey, version?: number): string {
    if (version === undefined || version === this.version) {
      const at = this.#storedKeys.indexOf(key);
      if (at !== -1) return this.#storedKeys.valueAt(at);
    }
    return this.#newKey(key, version);
  }

  /** makeKey() of a key not remembered: made and validated, then remembered if it is for the cache's own VERSION. */
  #newKey(key: CacheKey, version: number | undefined): string {
    assertCacheKey(key);
    const full = this.#keyFunction(typeof key === 'string' ? key : String(key), this.keyPrefix, version ?? this.version);
    const problem = cacheKeyProblem(full);
    if (problem !== null) {
      if (this.#strictKeys) throw new InvalidCacheKey(`${problem} (cache '${this.alias}', ${this.store.name})`);
      this.#warnKey(`atrium cache '${this.alias}': ${problem} It works on ${this.store.name} but not on memcached.`);
    } else if (version === undefined || version === this.version) {
      if (this.#storedKeys.size >= REMEMBERED_KEYS) this.#storedKeys.clear();
      this.#storedKeys.set(key, full);
    }
    return full;
  }

  /**
   * The live entry under `key` in an in-process store, as of `now` (its
   * peekClock()): through the remembered slot, which also holds the entry
   * peek() returned last time, so a hit reads the slot, the key's characters
   * and that entry.
   */
  #peekEntry(key: CacheKey, version: number | undefined, now: number): PeekedEntry | undefined {
    const keys = this.#storedKeys;
    if (version !== undefined && version !== this.version) return this.store.peek!(this.#newKey(key, version), undefined, now);
    let at = keys.indexOf(key);
    if (at === -1) {
      const full = this.#newKey(key, version);
      at = keys.indexOf(key);
      // Not remembered (a key that warned, or a full probe run): read without the slot.
      if (at === -1) return this.store.peek!(full, undefined, now);
    }
    return this.#peekSlot(at, now);
  }

  /** The live entry of the remembered key at slot `at`: peek() with the entry the slot kept, which then keeps the one found. */
  #peekSlot(at: number, now: number): PeekedEntry | undefined {
    const keys = this.#storedKeys;
    const known = keys.extraAt(at) as PeekedEntry | undefined;
    const entry = this.store.peek!(keys.valueAt(at), known, now);
    // Mostly the same entry: no write (and no write barrier) into the large, old slot array then.
    if (entry !== known) keys.setExtraAt(at, entry);
    return entry;
  }

  /** Read an in-process store: a private copy of the value under `key`, or undefined. */
  #peekValue<T>(key: CacheKey, version: number | undefined): T | undefined {
    const entry = this.#peekEntry(key, version, this.store.peekClock!());
    return entry === undefined ? undefined : this.#valueOf<T>(key, version, entry);
  }

  /** The stored value, or `defaultValue` (undefined) on a miss or an outage. */
  async get<T = unknown>(key: CacheKey, defaultValue?: T, options: VersionOption = {}): Promise<T | undefined> {
    const value = this.#peeks ? this.#peekValue<T>(key, options.version) : await this.#fetch<T>(this.makeKey(key, options.version));
    return value === undefined ? defaultValue : value;
  }

  /** Store a value; false when not stored (outage, or a timeout <= 0 which deletes the key). */
  async set(key: CacheKey, value: unknown, timeout?: CacheTimeout, options: VersionOption = {}): Promise<boolean> {
    const full = this.makeKey(key, options.version);
    const text = serializeCacheValue(value);
    const ttl = this.#ttl(timeout);
    if (ttl === 0) {
      await this.#guard('delete', false, () => this.store.delete(full));
      return false;
    }
    return this.#guard('set', false, async () => {
      await this.store.set(full, text, ttl);
      return true;
    });
  }

  /** Store only if the key is absent; true when stored. */
  async add(key: CacheKey, value: unknown, timeout?: CacheTimeout, options: VersionOption = {}): Promise<boolean> {
    const full = this.makeKey(key, options.version);
    const text = serializeCacheValue(value);
    const ttl = this.#ttl(timeout);
    if (ttl === 0) return false;
    return this.#guard('add', false, () => this.store.add(full, text, ttl));
  }

  /** True when the key was there. */
  async delete(key: CacheKey, options: VersionOption = {}): Promise<boolean> {
    const full = this.makeKey(key, options.version);
    return this.#guard('delete', false, () => this.store.delete(full));
  }

  /** The keys found, with their values (a Map keyed by the keys as given: keys from users may be any string). */
  async getMany<T = unknown, K extends CacheKey = string>(keys: Iterable<K>, options: VersionOption = {}): Promise<Map<K, T>> {
    if (this.#peeks) {
      // An in-process store: synchronous reads on one clock reading, values copied for this caller.
      const now = this.store.peekClock!();
      const out = new Map<K, T>();
      for (const key of keys) {
        const entry = this.#peekEntry(key, options.version, now);
        if (entry === undefined) continue;
        const value = this.#valueOf<T>(key, options.version, entry);
        if (value !== undefined) out.set(key, value);
      }
      return out;
    }
    // Two keys may share a stored key (5 and '5'): each is answered, and the store asked once.
    const asked = [...keys];
    const fulls = asked.map((key) => this.makeKey(key, options.version));
    const found = await this.#guard('getMany', new Map<string, string>(), () => this.store.getMany([...new Set(fulls)]));
    const out = new Map<K, T>();
    for (let i = 0; i < asked.length; i++) {
      const text = found.get(fulls[i]!);
      const value = text === undefined ? undefined : this.#decode<T>(fulls[i]!, text);
      if (value !== undefined) out.set(asked[i]!, value);
    }
    return out;
  }

  /**
   * The values of `keys`, in their order (undefined where absent), read in
   * one batch; the keys that missed are computed together by one call of
   * `compute` (each missing key once, in first-seen order), stored with
   * setMany() and returned in their places. A key `compute` leaves out or
   * maps to undefined stays undefined and is not stored. Hits are copies, as
   * from get(); a computed value is `compute`'s own object, the same one in
   * every place its key appears. Unlike getOrSet(), concurrent calls do not
   * share a computation.
   * @example
   * const posts = await cache.namespace('post').getOrSetMany(ids, async (missing) => {
   *   const rows = await Post.objects.filter({ id: { in: missing } });
   *   return new Map(rows.map((post) => [post.id, post.toJSON()]));
   * }, 600);
   */
  getOrSetMany<T>(
    keys: readonly string[],
    compute: (missing: string[]) => CacheEntries<T> | Promise<CacheEntries<T>>,
    timeout?: CacheTimeout,
    options?: VersionOption,
  ): Promise<Array<T | undefined>>;
  getOrSetMany<T>(
    keys: readonly number[],
    compute: (missing: number[]) => CacheEntries<T, number> | Promise<CacheEntries<T, number>>,
    timeout?: CacheTimeout,
    options?: VersionOption,
  ): Promise<Array<T | undefined>>;
  getOrSetMany<T>(
    keys: readonly CacheKey[],
    compute: (missing: CacheKey[]) => CacheEntries<T, CacheKey> | Promise<CacheEntries<T, CacheKey>>,
    timeout?: CacheTimeout,
    options?: VersionOption,
  ): Promise<Array<T | undefined>>;
  async getOrSetMany<T>(keys: readonly CacheKey[], compute: ComputeMany<T>, timeout?: CacheTimeout, options: VersionOption = {}): Promise<Array<T | undefined>> {
    let values: Array<T | undefined>;
    if (this.#peeks) {
      values = this.#peekInOrder<T>(keys, options.version);
    } else {
      const found = await this.getMany<T, CacheKey>(keys, options);
      values = keys.map((key) => found.get(key));
    }
    // The misses are filled in by another function, so that this one, on every call's path, stays
    // small enough for V8 to inline the reads (hash, probe, peek, copy) into it.
    for (let i = 0; i < values.length; i++) if (values[i] === undefined) return this.#fillMisses(keys, values, compute, timeout, options);
    return values;
  }

  /** getOrSetMany() once a key missed: compute the missing ones, store them and put them in their places. */
  async #fillMisses<T>(
    keys: readonly CacheKey[],
    values: Array<T | undefined>,
    compute: ComputeMany<T>,
    timeout: CacheTimeout | undefined,
    options: VersionOption,
  ): Promise<Array<T | undefined>> {
    const missingAt: number[] = [];
    for (let i = 0; i < values.length; i++) if (values[i] === undefined) missingAt.push(i);
    const missing = [...new Set(missingAt.map((i) => keys[i]!))];
    // The overloads pair the keys' type with compute's, so the keys are what compute takes.
    const computed = await (compute as (missing: CacheKey[]) => ReturnType<ComputeMany<T>>)(missing);
    // A plain object's property names are strings: an integer key is found under its decimal string there.
    const byName = !(computed instanceof Map);
    const fresh = byName ? new Map<CacheKey, T | undefined>(Object.entries(computed)) : (computed as ReadonlyMap<CacheKey, T | undefined>);
    const toStore = new Map<CacheKey, T>();
    for (const key of missing) {
      const value = fresh.get(byName ? String(key) : key);
      if (value !== undefined) toStore.set(key, value);
    }
    if (toStore.size > 0) await this.setMany(toStore, timeout, options);
    for (const i of missingAt) values[i] = toStore.get(keys[i]!);
    return values;
  }

  /**
   * The values of `keys` in order, undefined where absent, read on one clock
   * reading; each value a copy for this caller. Keys go through in batches,
   * and each batch in passes: every key's slot, then every stored key string,
   * then every entry, then every value. Key by key, each read waits for the
   * one before it (slot, then entry, then value), and with thousands of keys
   * in the cache most of them are CPU cache misses; a pass's reads do not
   * depend on each other, so the CPU has them in flight together (issue #10).
   */
  #peekInOrder<T>(keys: readonly CacheKey[], version: number | undefined): Array<T | undefined> {
    const now = this.store.peekClock!();
    // Appended by index: the array stays packed (JSON.stringify of a holey one takes a slower
    // path), and V8 (TurboFan in Node 20) inlines the store where push() stays a builtin call.
    const values: Array<T | undefined> = [];
    // The passes share scratch arrays; a read started from within one (a KEY_FUNCTION or a log
    // reading this cache) goes key by key instead.
    if ((version !== undefined && version !== this.version) || this.#peeking) {
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        const entry = this.#peekEntry(key, version, now);
        values[i] = entry === undefined ? undefined : this.#valueOf<T>(key, version, entry);
      }
      return values;
    }
    this.#peeking = true;
    try {
      for (let start = 0; start < keys.length; start += PEEK_BATCH) this.#peekBatch(keys, start, Math.min(keys.length, start + PEEK_BATCH), now, values);
    } catch (error) {
      // A batch cut short (a throwing KEY_FUNCTION or log) leaves entries in the scratch array.
      this.#batchEntries.fill(undefined);
      throw error;
    } finally {
      this.#peeking = false;
    }
    return values;
  }

  /** One batch of #peekInOrder: keys[start..end) into values[start..end), for the cache's own VERSION. */
  #peekBatch<T>(keys: readonly CacheKey[], start: number, end: number, now: number, values: Array<T | undefined>): void {
    const table = this.#storedKeys;
    const layout = table.layout;
    const slots = this.#batchSlots;
    const entries = this.#batchEntries;
    for (let i = start; i < end; i++) slots[i - start] = table.candidateOf(keys[i]!);
    for (let i = start; i < end; i++) {
      const at = slots[i - start]!;
      if (at !== -1 && !table.holds(at, keys[i]!)) slots[i - start] = -1;
    }
    for (let i = start; i < end; i++) {
      const at = slots[i - start]!;
      // Not remembered (or another key's hash): the full path, which remembers the key if it can; that
      // may grow or clear the table, and then the slots found above are stale and the rest go that way too.
      entries[i - start] = at === -1 || table.layout !== layout ? this.#peekEntry(keys[i]!, undefined, now) : this.#peekSlot(at, now);
    }
    for (let i = start; i < end; i++) {
      const entry = entries[i - start];
      // Cleared as it is used: the scratch array must not keep entries (and their values) alive.
      entries[i - start] = undefined;
      values[i] = entry === undefined ? undefined : this.#valueOf<T>(keys[i]!, undefined, entry);
    }
  }

  /** Store several values; returns the keys that could not be stored (all of them on an outage). */
  async setMany<K extends CacheKey = string>(
    entries: ReadonlyMap<K, unknown> | Readonly<Record<string, unknown>>,
    timeout?: CacheTimeout,
    options: VersionOption = {},
  ): Promise<K[]> {
    const pairs = (entries instanceof Map ? [...entries] : Object.entries(entries)) as Array<[K, unknown]>;
    const encoded = new Map<string, string>();
    for (const [key, value] of pairs) encoded.set(this.makeKey(key, options.version), serializeCacheValue(value));
    const keys = pairs.map(([key]) => key);
    const ttl = this.#ttl(timeout);
    if (ttl === 0) {
      await this.#guard('deleteMany', undefined, () => this.store.deleteMany([...encoded.keys()]));
      return keys;
    }
    return this.#guard('setMany', keys, async () => {
      await this.store.setMany(encoded, ttl);
      return [];
    });
  }

  /** Delete several keys; false on an outage. */
  async deleteMany(keys: Iterable<CacheKey>, options: VersionOption = {}): Promise<boolean> {
    const fulls = [...keys].map((key) => this.makeKey(key, options.version));
    return this.#guard('deleteMany', false, async () => {
      await this.store.deleteMany(fulls);
      return true;
    });
  }

  /**
   * Add `delta` to an integer atomically (on the server for Redis and
   * memcached) and return the new value. Throws CacheKeyMissing when the
   * key is absent, CacheUnavailable on an outage. Memcached never goes below 0.
   */
  async incr(key: CacheKey, delta = 1, options: VersionOption = {}): Promise<number> {
    if (!Number.isSafeInteger(delta)) throw new CacheValueError(`incr/decr delta must be an integer; got ${delta}.`);
    const full = this.makeKey(key, options.version);
    let value: number | undefined;
    try {
      value = await this.store.incr(full, delta);
    } catch (error) {
      if (isUnavailable(error)) this.#warnOutage(this.#outageMessage('incr', error));
      throw error;
    }
    if (value === undefined) throw new CacheKeyMissing(key);
    return value;
  }

  async decr(key: CacheKey, delta = 1, options: VersionOption = {}): Promise<number> {
    return this.incr(key, -delta, options);
  }

  /** Set a new timeout on an existing key; false when absent (or on an outage). */
  async touch(key: CacheKey, timeout?: CacheTimeout, options: VersionOption = {}): Promise<boolean> {
    const full = this.makeKey(key, options.version);
    const ttl = this.#ttl(timeout);
    if (ttl === 0) return this.#guard('delete', false, () => this.store.delete(full));
    return this.#guard('touch', false, () => this.store.touch(full, ttl));
  }

  async has(key: CacheKey, options: VersionOption = {}): Promise<boolean> {
    const full = this.makeKey(key, options.version);
    return this.#guard('has', false, () => this.store.has(full));
  }

  /**
   * Remove every entry under this cache's KEY_PREFIX (keys starting with
   * `KEY_PREFIX:`; with no prefix, everything the backend holds — memcached
   * always flushes the whole server).
   */
  async clear(): Promise<boolean> {
    const prefix = this.keyPrefix === '' ? '' : `${this.keyPrefix}:`;
    return this.#guard('clear', false, async () => {
      await this.store.clear(prefix);
      return true;
    });
  }

  /**
   * The cached value, or compute, store and return it. Concurrent calls for
   * the same key in this process share one computation (stampede
   * protection). A result of undefined is returned but not stored.
   * @example const html = await cache.getOrSet(`post:${id}`, () => renderPost(id), 600);
   */
  getOrSet<T>(key: CacheKey, compute: () => T | Promise<T>, timeout?: CacheTimeout, options: VersionOption = {}): Promise<T> {
    let full: string;
    try {
      full = this.makeKey(key, options.version);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const running = this.#inflight.get(full);
    if (running) return running as Promise<T>;
    const work = (async (): Promise<T> => {
      const cached = this.#peeks ? this.#peekValue<T>(key, options.version) : await this.#fetch<T>(full);
      if (cached !== undefined) return cached;
      const value = await compute();
      if (value !== undefined) await this.set(key, value, timeout, options);
      return value;
    })();
    this.#inflight.set(full, work);
    const forget = (): void => {
      if (this.#inflight.get(full) === work) this.#inflight.delete(full);
    };
    work.then(forget, forget);
    return work;
  }

  /** Move a value to version+delta and return the new version; CacheKeyMissing when absent. */
  async incrVersion(key: CacheKey, delta = 1, options: VersionOption = {}): Promise<number> {
    const version = options.version ?? this.version;
    const full = this.makeKey(key, version);
    let text: string | undefined;
    try {
      text = await this.store.get(full);
    } catch (error) {
      if (isUnavailable(error)) this.#warnOutage(this.#outageMessage('incrVersion', error));
      throw error;
    }
    if (text === undefined) throw new CacheKeyMissing(key);
    const next = version + delta;
    const target = this.makeKey(key, next);
    // The remaining lifetime is not known to every backend; the new version gets the default timeout.
    const ttl = this.#ttl(undefined);
    await this.store.set(target, text, ttl === 0 ? null : ttl);
    await this.store.delete(full);
    return next;
  }

  async decrVersion(key: CacheKey, delta = 1, options: VersionOption = {}): Promise<number> {
    return this.incrVersion(key, -delta, options);
  }

  /**
   * This cache's keys under `name`: a Cache on the same store whose
   * KEY_PREFIX is this one's plus `name` (`'world'`, or `'site:world'` under
   * KEY_PREFIX 'site'), so its keys never meet this cache's or another
   * namespace's, and its clear() removes only its own entries (except on
   * memcached, which always flushes the server). Made once per name and kept,
   * with the keys it has seen, so calling it in every request costs a Map
   * lookup. Suits integer ids: `namespace('world').get(5)`.
   * @example
   * const worlds = caches(request.app).default.namespace('world');
   * const world = await worlds.getOrSet(id, () => World.objects.get({ id }).then((w) => w.toJSON()));
   */
  namespace(name: string): Cache {
    const kept = this.#namespaces.get(name);
    if (kept !== undefined) return kept;
    assertNamespaceName(name);
    // Names made from data (one per user, say) would otherwise pile up: past the bound, start over.
    if (this.#namespaces.size >= KEPT_NAMESPACES) this.#namespaces.clear();
    const keyPrefix = this.keyPrefix === '' ? name : `${this.keyPrefix}:${name}`;
    const made = new Cache(this.store, { ...this.#options, alias: this.alias, timeout: this.defaultTimeout, keyPrefix, version: this.version });
    namespaces.add(made);
    this.#namespaces.set(name, made);
    return made;
  }

  /** Close the backend (a namespace leaves it open: the cache it came from owns it). */
  close(): Promise<void> {
    return namespaces.has(this) ? Promise.resolve() : this.store.close();
  }

  /** Milliseconds for the backend: null = forever, 0 = do not store. */
  #ttl(timeout: CacheTimeout | undefined): number | null {
    const seconds = timeout === undefined ? this.defaultTimeout : timeout;
    if (seconds === null) return null;
    if (typeof seconds !== 'number' || Number.isNaN(seconds)) {
      throw new CacheValueError(`A cache timeout must be seconds (a number) or null for "forever"; got ${String(seconds)}.`);
    }
    return seconds <= 0 ? 0 : Math.max(1, Math.round(seconds * 1000));
  }

  /** Read through the store's async API: the decoded value, or undefined on a miss or an outage. */
  async #fetch<T>(full: string): Promise<T | undefined> {
    const text = await this.#guard('get', undefined, () => this.store.get(full));
    return text === undefined ? undefined : this.#decode<T>(full, text);
  }

  /** A peeked entry's value for one caller: a copy of decoded JSON, or the text decoded now. */
  #valueOf<T>(key: CacheKey, version: number | undefined, entry: PeekedEntry): T | undefined {
    if (entry.text !== undefined) return this.#decode<T>(this.makeKey(key, version), entry.text);
    return entry.copy(entry.value) as T;
  }

  #decode<T>(full: string, text: string): T | undefined {
    try {
      return deserializeCacheValue(text) as T;
    } catch (error) {
      this.#warnKey(`atrium cache '${this.alias}': entry ${JSON.stringify(full)} is not a value this cache wrote (${(error as Error).message}); treated as a miss.`);
      return undefined;
    }
  }

  async #guard<R>(operation: string, fallback: R, run: () => Promise<R>): Promise<R> {
    try {
      return await run();
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      this.#warnOutage(this.#outageMessage(operation, error));
      return fallback;
    }
  }

  #outageMessage(operation: string, error: CacheUnavailable): string {
    return `atrium cache '${this.alias}' (${this.store.name}) is unavailable; ${operation} treated as a miss: ${error.message}`;
  }
}

/**
 * CacheUnavailable, also from another copy of @atrium/core (a backend
 * package resolving its own): the stable code decides, not the class identity.
 */
function isUnavailable(error: unknown): error is CacheUnavailable {
  return error instanceof CacheUnavailable || (error instanceof Error && (error as { code?: unknown }).code === 'E_CACHE_UNAVAILABLE');
}
