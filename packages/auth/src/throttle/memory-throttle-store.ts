import type { ThrottleStore } from './throttle-store.js';

/** Keys kept at most; the oldest go first, so a flood of usernames cannot exhaust memory. */
const MAX_ENTRIES = 100_000;

/**
 * Throttle counters in this process's memory (one worker only). `now` is
 * injectable so tests drive time with a fake clock.
 * @example const store = new MemoryThrottleStore({ now: () => clock });
 */
export class MemoryThrottleStore implements ThrottleStore {
  readonly #entries = new Map<string, { value: number; expiresAt: number }>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async increment(key: string, windowSeconds: number): Promise<number> {
    const entry = this.#live(key);
    if (entry) {
      entry.value++;
      return entry.value;
    }
    this.#set(key, 1, windowSeconds);
    return 1;
  }

  async count(key: string): Promise<number> {
    return this.#live(key)?.value ?? 0;
  }

  async lock(key: string, seconds: number): Promise<void> {
    this.#set(key, 1, seconds);
  }

  async lockedFor(key: string): Promise<number> {
    const entry = this.#live(key);
    return entry ? Math.ceil((entry.expiresAt - this.#now()) / 1000) : 0;
  }

  async delete(...keys: string[]): Promise<void> {
    for (const key of keys) this.#entries.delete(key);
  }

  #live(key: string): { value: number; expiresAt: number } | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #set(key: string, value: number, seconds: number): void {
    this.#entries.delete(key);
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, expiresAt: this.#now() + seconds * 1000 });
  }
}
