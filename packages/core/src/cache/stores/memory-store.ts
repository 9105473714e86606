import { CacheValueError } from '../../errors.js';
import type { CacheStore, PeekedEntry } from '../cache-store.js';
import { isPlainJsonText } from '../cache-serializer.js';
import { copierFor, copyPlainJson, type JsonCopier } from '../plain-json-copy.js';

export interface MemoryStoreOptions {
  /** Most entries kept; the least recently used go first (default 10,000). */
  maxEntries?: number;
  /** Most bytes of keys and values kept (UTF-16 length × 2; default 64 MiB). */
  maxBytes?: number;
  /** Clock in ms (tests pass a fake one). */
  now?: () => number;
}

/** Marks an entry whose text has not been decoded yet (decoding waits for the first peek). */
const UNDECODED = Symbol('undecoded');
/** Bounds of Entry.expiresSecond: V8 keeps integers within them inline in the object (31-bit Smis). */
const LAST_SECOND = 2 ** 30 - 1;
const FIRST_SECOND = -(2 ** 30);

interface Entry extends PeekedEntry {
  /** The text as written; dropped (undefined) once `value` holds it decoded. */
  text: string | undefined;
  /** The decoded plain-JSON value, UNDECODED before the first peek, null when only the text is kept. */
  value: unknown;
  /** Chosen with the decoded value (copierFor): a flat row is copied without copyPlainJson's walk. */
  copy: JsonCopier;
  /** Epoch ms; Infinity = never. */
  expiresAt: number;
  /**
   * expiresAt as whole seconds since the store's epoch (floored, clamped to
   * a small integer): most expiry checks need only this. expiresAt, a large
   * double, is a separate heap number in V8, one more memory read per key.
   */
  expiresSecond: number;
  /** Bytes counted against maxBytes, from the text as written. */
  size: number;
  /** Read since it last reached the end of the order: eviction passes over it once (second chance). */
  used: boolean;
  /** Still the key's entry; false once removed (a Cache may still remember it for the key). */
  live: boolean;
}

/**
 * A per-process LRU cache, bounded by entries and bytes, expired lazily on
 * read. The Map's order is the eviction order: a write puts the entry at the
 * end; a read only marks it used, and eviction, taking entries from the
 * front, moves a marked one to the end instead (a "second chance", the CLOCK
 * approximation of LRU: an entry read since it last reached the end is never
 * evicted before the unread ones, and a read costs no Map reordering). Values arrive serialized; plain JSON is
 * decoded once, on its first peek(), and kept decoded instead of as text
 * (the Cache in front copies it per read, so a caller mutating what it got
 * back cannot change the cached value). Text with tagged values (Date,
 * bytes, bigint) stays text and is decoded per read.
 * @example const store = new MemoryStore({ maxEntries: 1000 });
 */
export class MemoryStore implements CacheStore {
  readonly name = 'locmem';
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  /** Epoch ms that Entry.expiresSecond counts from. */
  readonly #epoch: number;
  #bytes = 0;
  /** The last `now` turned into whole seconds, and those seconds (a batch of peeks shares one reading). */
  #secondOf = Number.NaN;
  #second = 0;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#now = options.now ?? Date.now;
    this.#epoch = this.#now();
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

  /**
   * The live entry under `key` as of `now`, decoded if it is plain JSON,
   * marked used (eviction passes over it once); see CacheStore.peek.
   */
  peek(key: string, known: PeekedEntry | undefined, now: number): PeekedEntry | undefined {
    // Only this store makes entries; while `known` is live it is the key's, and the lookup is saved.
    const held = known as Entry | undefined;
    const entry = this.#live(key, now, held !== undefined && held.live ? held : this.#entries.get(key));
    if (entry !== undefined) {
      // Written only when it changes, so a read of an entry already marked leaves its cache line clean.
      if (!entry.used) entry.used = true;
      if (entry.value === UNDECODED) decode(entry);
    }
    return entry;
  }

  peekClock(): number {
    return this.#now();
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
    const text = textOf(entry);
    const next = Number(text) + delta;
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(next)) {
      throw new CacheValueError(`Cannot increment cache key '${key}': its value is not an integer.`);
    }
    this.#write(key, String(next), entry.expiresAt);
    return next;
  }

  async touch(key: string, ttl: number | null): Promise<boolean> {
    const entry = this.#live(key);
    if (entry === undefined) return false;
    entry.expiresAt = this.#expiry(ttl);
    entry.expiresSecond = this.#secondAt(entry.expiresAt);
    return true;
  }

  async has(key: string): Promise<boolean> {
    return this.#live(key) !== undefined;
  }

  async clear(prefix: string): Promise<void> {
    if (prefix === '') {
      for (const entry of this.#entries.values()) retire(entry);
      this.#entries.clear();
      this.#bytes = 0;
      return;
    }
    for (const key of [...this.#entries.keys()]) if (key.startsWith(prefix)) this.#remove(key);
  }

  async close(): Promise<void> {}

  /** The live entry, or undefined (an expired one is dropped). `entry`: the key's entry when the caller already holds it. */
  #live(key: string, now = this.#now(), entry: Entry | undefined = this.#entries.get(key)): Entry | undefined {
    if (entry === undefined) return undefined;
    if (now !== this.#secondOf) {
      this.#secondOf = now;
      this.#second = this.#secondAt(now);
    }
    const second = this.#second;
    // Another second decides it from the small integer alone; within the same second, the exact ms.
    if (entry.expiresSecond === second ? entry.expiresAt <= now : entry.expiresSecond < second) {
      this.#remove(key);
      return undefined;
    }
    return entry;
  }

  /** Whole seconds from the epoch to `at`, clamped to what Entry.expiresSecond holds (Infinity: the last). */
  #secondAt(at: number): number {
    return Math.min(LAST_SECOND, Math.max(FIRST_SECOND, Math.floor((at - this.#epoch) / 1000))) | 0;
  }

  #read(key: string): string | undefined {
    const entry = this.#live(key);
    if (entry === undefined) return undefined;
    entry.used = true;
    return textOf(entry);
  }

  #expiry(ttl: number | null): number {
    return ttl === null ? Infinity : this.#now() + ttl;
  }

  #write(key: string, value: string, expiresAt: number): void {
    this.#remove(key);
    const size = (key.length + value.length) * 2;
    // An entry larger than the whole budget is not stored (it would evict everything, then itself).
    if (size > this.maxBytes) return;
    this.#entries.set(key, { text: value, value: UNDECODED, copy: copyPlainJson, expiresAt, expiresSecond: this.#secondAt(expiresAt), size, used: false, live: true });
    this.#bytes += size;
    this.#evict();
  }

  #remove(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.size;
    retire(entry);
  }

  /**
   * Drop entries from the front until within both bounds; one read since it
   * reached the end earns an entry a move to the end instead. Ends: every
   * move clears the mark, so a full turn finds an unmarked entry.
   */
  #evict(): void {
    while (this.#entries.size > this.maxEntries || this.#bytes > this.maxBytes) {
      const oldest = this.#entries.entries().next();
      if (oldest.done) return;
      const [key, entry] = oldest.value;
      if (entry.used) {
        entry.used = false;
        this.#entries.delete(key);
        this.#entries.set(key, entry);
      } else {
        this.#remove(key);
      }
    }
  }
}

/** The entry as text, as the string API returns it (JSON.stringify of decoded JSON gives the text back). */
function textOf(entry: Entry): string {
  return entry.text ?? JSON.stringify(entry.value);
}

/** Mark a removed entry so a Cache remembering it looks the key up again, and let its value be collected. */
function retire(entry: Entry): void {
  entry.live = false;
  entry.text = undefined;
  entry.value = null;
}

/** Decode plain JSON text once and keep the value instead of the text; tagged or foreign text stays text. */
function decode(entry: Entry): void {
  const text = entry.text!;
  entry.value = null;
  if (!isPlainJsonText(text)) return;
  try {
    entry.value = JSON.parse(text);
    entry.copy = copierFor(entry.value);
    entry.text = undefined;
  } catch {
    // Not JSON: the Cache reports it (and treats it as a miss) when it decodes the text.
  }
}
