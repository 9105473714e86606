import { randomBytes } from 'node:crypto';

/** Slots tried per lookup or insert; past them a key is simply not remembered (the caller then does the full work). */
const MAX_PROBES = 8;
/** Slots a new or cleared table starts with; it doubles as keys come, so an idle Cache holds no large array. */
const INITIAL_SLOTS = 16;

/**
 * A bounded table from user keys to what a Cache remembers about them (their
 * StoredKey), in one flat array of [hash, key, value] triples with linear
 * probing. A Map would do, but a hit on a Map with a freshly built key string
 * costs a call out of JIT code to hash the string, then a look at the bucket,
 * at the entry and at the stored key string: under load, when little of a
 * 10,000-entry Map stays in the CPU cache, that lookup was the largest cost of
 * a many-key cache read (issue #10). Here the hash is computed in JS, and the
 * hash, key and value of a slot sit side by side, so a hit usually reads one
 * slot and the stored key's characters.
 *
 * The hash is seeded per table, and probing stops after MAX_PROBES slots
 * (an insert that finds no free slot is dropped): keys chosen to collide can
 * only make keys go unremembered, never make a lookup scan the table.
 * @example const keys = new RememberedKeys<StoredKey>(16_384); keys.set('a', stored); keys.get('a') // stored
 */
export class RememberedKeys<V> {
  readonly #maxSlots: number;
  readonly #seed = randomBytes(4).readInt32LE(0);
  #mask: number;
  #slots: unknown[];
  #size = 0;

  /**
   * `capacity`: the most slots, rounded up to a power of two; keep it well
   * above the entries held, so probes stay short. The table starts small and
   * doubles while it is more than a third full.
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

  get(key: string): V | undefined {
    const at = this.#slotOf(key, this.#hash(key));
    // A free slot's value is undefined too.
    return at === -1 ? undefined : (this.#slots[at + 2] as V | undefined);
  }

  /** Remember `value` for `key`; false when its probe run is full (it is then not remembered). */
  set(key: string, value: V): boolean {
    if ((this.#size + 1) * 3 > this.#mask + 1 && this.#mask + 1 < this.#maxSlots) this.#grow();
    const hash = this.#hash(key);
    // Below the limit a full probe run is a reason to grow, not to drop the key.
    while (!this.#put(hash, key, value)) {
      if (this.#mask + 1 >= this.#maxSlots) return false;
      this.#grow();
    }
    return true;
  }

  #put(hash: number, key: unknown, value: unknown): boolean {
    const at = this.#slotOf(key, hash);
    if (at === -1) return false;
    const slots = this.#slots;
    if (slots[at + 1] === undefined) this.#size++;
    slots[at] = hash;
    slots[at + 1] = key;
    slots[at + 2] = value;
    return true;
  }

  /** Double the slots and put every triple back; again while one finds its run full, until the limit (past it, such a key is dropped). */
  #grow(): void {
    const old = this.#slots;
    for (;;) {
      this.#mask = this.#mask * 2 + 1;
      this.#slots = RememberedKeys.#empty(this.#mask + 1);
      this.#size = 0;
      let dropped = false;
      for (let at = 0; at < old.length; at += 3) {
        if (old[at + 1] !== undefined && !this.#put(old[at] as number, old[at + 1], old[at + 2])) dropped = true;
      }
      if (!dropped || this.#mask + 1 >= this.#maxSlots) return;
    }
  }

  /** Where `key`'s triple starts: its own slot, else the first free one of its run, else -1 (MAX_PROBES slots all taken by other keys). */
  #slotOf(key: unknown, hash: number): number {
    const slots = this.#slots;
    let slot = hash & this.#mask;
    for (let probe = 0; probe < MAX_PROBES; probe++) {
      const at = slot * 3;
      const held = slots[at + 1];
      if (held === undefined || (slots[at] === hash && held === key)) return at;
      slot = (slot + 1) & this.#mask;
    }
    return -1;
  }

  clear(): void {
    this.#mask = Math.min(this.#maxSlots, INITIAL_SLOTS) - 1;
    this.#slots = RememberedKeys.#empty(this.#mask + 1);
    this.#size = 0;
  }

  /**
   * FNV-1a over the UTF-16 units from a per-table seed, then murmur3's
   * finalizer (FNV's low bits, which pick the slot, are poorly mixed for keys
   * that differ only at the end), as a small integer (kept unboxed in the slot array).
   */
  #hash(key: string): number {
    let hash = this.#seed;
    for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
    hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
    hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
    return (hash ^ (hash >>> 16)) & 0x3fffffff;
  }

  /** A packed array of `slots` empty triples (filled up front, so V8 never sees holes in it). */
  static #empty(slots: number): unknown[] {
    return new Array<unknown>(slots * 3).fill(undefined);
  }
}
