import { CacheValueError } from '../../errors.js';
import type { CacheStore } from '../cache-store.js';

export interface MemoryStoreOptions {
  /** Most entries kept; the least recently used go first (default 10,000). */
  maxEntries?: number;
  /** Most bytes of keys and values kept (UTF-16 length × 2; default 64 MiB). */
  maxBytes?: number;
  /** Clock in ms (tests pass a fake one). */
  now?: () => number;
}

interface Entry {
  value: string;
  /** Epoch ms; Infinity = never. */
  expiresAt: number;
  size: number;
}

/**
 * A per-process LRU cache: a Map kept in recency order (a read moves the
 * entry to the end), bounded by entries and bytes, expired lazily on read
 * and evicted from the front. Values are stored serialized, so a caller
 * mutating what it got back cannot change the cached copy.
 * @example const store = new MemoryStore({ maxEntries: 1000 });
 */
export class MemoryStore implements CacheStore {
  readonly name = 'locmem';
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#now = options.now ?? Date.now;
  }

  /** Entries held now (expired ones not yet noticed included). */
  get size(): number {
    return this.#entries.size;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.#bytes;
  }

  async get(key: string): Promise<string | undefined> {
    return this.#read(key);
  }

  async getMany(keys: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const key of keys) {
      const value = this.#read(key);
      if (value !== undefined) out.set(key, value);
    }
    return out;
  }

  async set(key: string, value: string, ttl: number | null): Promise<void> {
    this.#write(key, value, this.#expiry(ttl));
  }

  async setMany(entries: ReadonlyMap<string, string>, ttl: number | null): Promise<void> {
    const expiresAt = this.#expiry(ttl);
    for (const [key, value] of entries) this.#write(key, value, expiresAt);
  }

  async add(key: string, value: string, ttl: number | null): Promise<boolean> {
    if (this.#live(key) !== undefined) return false;
    this.#write(key, value, this.#expiry(ttl));
    return true;
  }

  async delete(key: string): Promise<boolean> {
    const had = this.#live(key) !== undefined;
    this.#remove(key);
    return had;
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.#remove(key);
  }

  async incr(key: string, delta: number): Promise<number | undefined> {
    const entry = this.#live(key);
    if (entry === undefined) return undefined;
    const next = Number(entry.value) + delta;
    if (!/^-?\d+$/.test(entry.value) || !Number.isSafeInteger(next)) {
      throw new CacheValueError(`Cannot increment cache key '${key}': its value is not an integer.`);
    }
    this.#write(key, String(next), entry.expiresAt);
    return next;
  }

  async touch(key: string, ttl: number | null): Promise<boolean> {
    const entry = this.#live(key);
    if (entry === undefined) return false;
    entry.expiresAt = this.#expiry(ttl);
    return true;
  }

  async has(key: string): Promise<boolean> {
    return this.#live(key) !== undefined;
  }

  async clear(prefix: string): Promise<void> {
    if (prefix === '') {
      this.#entries.clear();
      this.#bytes = 0;
      return;
    }
    for (const key of [...this.#entries.keys()]) if (key.startsWith(prefix)) this.#remove(key);
  }

  async close(): Promise<void> {}

  /** The live entry, or undefined (an expired one is dropped). */
  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#remove(key);
      return undefined;
    }
    return entry;
  }

  #read(key: string): string | undefined {
    const entry = this.#live(key);
    if (entry === undefined) return undefined;
    // Most recently used goes to the end of the Map's order.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  #expiry(ttl: number | null): number {
    return ttl === null ? Infinity : this.#now() + ttl;
  }

  #write(key: string, value: string, expiresAt: number): void {
    this.#remove(key);
    const size = (key.length + value.length) * 2;
    // An entry larger than the whole budget is not stored (it would evict everything, then itself).
    if (size > this.maxBytes) return;
    this.#entries.set(key, { value, expiresAt, size });
    this.#bytes += size;
    this.#evict();
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.size;
  }

  /** Drop least recently used entries until within both bounds. */
  #evict(): void {
    while (this.#entries.size > this.maxEntries || this.#bytes > this.maxBytes) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) return;
      this.#remove(oldest.value);
    }
  }
}
