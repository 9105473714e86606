import { randomBytes } from 'node:crypto';

/**
 * Slots tried per lookup or insert; past them a key is simply not remembered
 * (the caller then does the full work). At the table's two-thirds load a run
 * this long is about one key in ten thousand; the bound is for keys chosen
 * to collide, which the per-table seed already makes hard to find.
 */
const MAX_PROBES = 32;
/** The table doubles when an insert would make it fuller than LOAD_NUMERATOR / LOAD_DENOMINATOR. */
const LOAD_NUMERATOR = 2;
const LOAD_DENOMINATOR = 3;
/** Slots a new or cleared table starts with; it doubles as keys come, so an idle Cache holds no large array. */
const INITIAL_SLOTS = 16;

/** Array elements per slot: hash, key, value, and the mutable "extra" kept beside the value. */
const WIDTH = 4;

/**
 * A bounded table from user keys to what a Cache remembers about them (the
 * stored key, and the entry an in-process store last found under it), in one
 * flat array of [hash, key, value, extra] slots with linear probing. A Map
 * would do, but a hit on a Map with a freshly built key string costs a call
 * out of JIT code to hash the string, then a look at the bucket, at the entry
 * and at the stored key string: under load, when little of a 10,000-entry Map
 * stays in the CPU cache, that lookup was the largest cost of a many-key cache
 * read (issue #10). Here the hash is computed in JS, and the hash, key, value
 * and extra of a slot sit side by side, so a hit usually reads one slot and
 * the stored key's characters, and the extra (the store's entry) needs no
 * object of its own in between.
 *
 * The hash is seeded per table, and probing stops after MAX_PROBES slots
 * (an insert that finds no free slot is dropped): keys chosen to collide can
 * only make keys go unremembered, never make a lookup scan the table.
 * @example const keys = new RememberedKeys<string>(16_384); keys.set('a', ':1:a'); keys.set(5, ':1:5'); keys.get(5) // ':1:5'
 */
export class RememberedKeys<V> {
  readonly #maxSlots: number;
  readonly #seed = randomBytes(4).readInt32LE(0);
  #mask: number;
  #slots: unknown[];
  #size = 0;
  #layout = 0;

  /**
   * `capacity`: the most slots, rounded up to a power of two; keep it about
   * 1.5 times the entries held or more, so probes stay short. The table
   * starts small and doubles when it would be more than two thirds full: a
   * smaller table than at a third, and so fewer CPU cache misses when a
   * 10,000-key table is read at random (issue #10), for probes about as short
   * (1.7 slots on average for a hit at 61% full).
   */
  constructor(capacity: number) {
    let slots = 1;
    while (slots < capacity) slots *= 2;
    this.#maxSlots = slots;
    this.#mask = Math.min(slots, INITIAL_SLOTS) - 1;
    this.#slots = RememberedKeys.#empty(this.#mask + 1);
  }

  /** Entries held now. */
  get size(): number {
    return this.#size;
  }

  /**
   * Changes whenever slots move or go (growth, clear()): a slot index from
   * indexOf() or candidateOf() is valid while this stays the same.
   */
  get layout(): number {
    return this.#layout;
  }

  get(key: string | number): V | undefined {
    const at = this.indexOf(key);
    return at === -1 ? undefined : (this.#slots[at + 2] as V);
  }

  /**
   * Where `key`'s slot is, for valueAt()/extraAt()/setExtraAt(), or -1 when
   * not remembered. Valid until the next set() or clear() (growing moves slots).
   */
  indexOf(key: string | number): number {
    const at = this.#slotOf(key, this.#hash(key));
    return at === -1 || this.#slots[at + 1] === undefined ? -1 : at;
  }

  /**
   * Where `key`'s slot probably is, judged by its hash alone, or -1 when it
   * is not remembered: reads the slot array only, not the stored key's
   * characters. Confirm with holds() (another key may share the hash). A
   * batch of keys can so have all its slots read before any key string is,
   * letting the CPU wait for those memory reads together.
   */
  candidateOf(key: string | number): number {
    const hash = this.#hash(key);
    const slots = this.#slots;
    let slot = hash & this.#mask;
    for (let probe = 0; probe < MAX_PROBES; probe++) {
      const at = slot * WIDTH;
      if (slots[at + 1] === undefined) return -1;
      if (slots[at] === hash) return at;
      slot = (slot + 1) & this.#mask;
    }
    return -1;
  }

  /** True when the slot candidateOf() gave is `key`'s own. */
  holds(at: number, key: string | number): boolean {
    return this.#slots[at + 1] === key;
  }

  /** The value of the slot indexOf() found. */
  valueAt(at: number): V {
    return this.#slots[at + 2] as V;
  }

  /** The extra kept beside the value (undefined until setExtraAt()). */
  extraAt(at: number): unknown {
    return this.#slots[at + 3];
  }

  setExtraAt(at: number, extra: unknown): void {
    this.#slots[at + 3] = extra;
  }

  /** Remember `value` for `key` (its extra starts undefined); false when its probe run is full (it is then not remembered). */
  set(key: string | number, value: V): boolean {
    if ((this.#size + 1) * LOAD_DENOMINATOR > (this.#mask + 1) * LOAD_NUMERATOR && this.#mask + 1 < this.#maxSlots) this.#grow();
    const hash = this.#hash(key);
    // Below the limit a full probe run is a reason to grow, not to drop the key.
    while (!this.#put(hash, key, value, undefined)) {
      if (this.#mask + 1 >= this.#maxSlots) return false;
      this.#grow();
    }
    return true;
  }

  #put(hash: number, key: unknown, value: unknown, extra: unknown): boolean {
    const at = this.#slotOf(key, hash);
    if (at === -1) return false;
    const slots = this.#slots;
    if (slots[at + 1] === undefined) this.#size++;
    slots[at] = hash;
    slots[at + 1] = key;
    slots[at + 2] = value;
    slots[at + 3] = extra;
    return true;
  }

  /** Double the slots and put every slot back (extra included); again while one finds its run full, until the limit (past it, such a key is dropped). */
  #grow(): void {
    const old = this.#slots;
    this.#layout++;
    for (;;) {
      this.#mask = this.#mask * 2 + 1;
      this.#slots = RememberedKeys.#empty(this.#mask + 1);
      this.#size = 0;
      let dropped = false;
      for (let at = 0; at < old.length; at += WIDTH) {
        if (old[at + 1] !== undefined && !this.#put(old[at] as number, old[at + 1], old[at + 2], old[at + 3])) dropped = true;
      }
      if (!dropped || this.#mask + 1 >= this.#maxSlots) return;
    }
  }

  /** Where `key`'s slot starts: its own slot, else the first free one of its run, else -1 (MAX_PROBES slots all taken by other keys). */
  #slotOf(key: unknown, hash: number): number {
    const slots = this.#slots;
    let slot = hash & this.#mask;
    for (let probe = 0; probe < MAX_PROBES; probe++) {
      const at = slot * WIDTH;
      const held = slots[at + 1];
      if (held === undefined || (slots[at] === hash && held === key)) return at;
      slot = (slot + 1) & this.#mask;
    }
    return -1;
  }

  clear(): void {
    this.#layout++;
    this.#mask = Math.min(this.#maxSlots, INITIAL_SLOTS) - 1;
    this.#slots = RememberedKeys.#empty(this.#mask + 1);
    this.#size = 0;
  }

  /**
   * FNV-1a over the UTF-16 units (an integer key: its two 32-bit halves)
   * from a per-table seed, then murmur3's finalizer (FNV's low bits, which
   * pick the slot, are poorly mixed for keys that differ only at the end), as
   * a small integer (kept unboxed in the slot array). An integer and its
   * decimal string are different keys here (=== tells them apart); they may
   * share a hash.
   */
  #hash(key: string | number): number {
    let hash = this.#seed;
    if (typeof key === 'number') {
      // `| 0` keeps the low 32 bits of any safe integer; the division gives the high ones.
      hash = Math.imul(hash ^ (key | 0), 0x01000193);
      hash = Math.imul(hash ^ ((key / 0x100000000) | 0), 0x01000193);
    } else if (typeof key === 'string') {
      // (Anything else a JavaScript caller passes hashes as the seed alone: it is never stored, so never found.)
      for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
    }
    hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
    hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
    return (hash ^ (hash >>> 16)) & 0x3fffffff;
  }

  /** A packed array of `slots` empty slots (filled up front, so V8 never sees holes in it). */
  static #empty(slots: number): unknown[] {
    return new Array<unknown>(slots * WIDTH).fill(undefined);
  }
}
