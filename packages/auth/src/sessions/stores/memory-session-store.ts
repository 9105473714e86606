import type { SessionData, SessionStore } from '../session-store.js';
import { generateSessionKey, isValidSessionKey } from '../session-key.js';

/**
 * Sessions in this process's memory: for tests and single-process
 * development only (every worker has its own, and a restart logs everyone out).
 * Data is copied in and out, so nothing outside can change a stored session.
 * @example const store = new MemorySessionStore();
 */
export class MemorySessionStore implements SessionStore {
  readonly name = 'memory';
  readonly revocable = true;
  readonly #sessions = new Map<string, { json: string; expiresAt: number }>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async createKey(): Promise<string> {
    let key = generateSessionKey();
    while (this.#sessions.has(key)) key = generateSessionKey();
    return key;
  }

  async load(key: string): Promise<SessionData | null> {
    if (!isValidSessionKey(key)) return null;
    const entry = this.#sessions.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.#now()) {
      this.#sessions.delete(key);
      return null;
    }
    return JSON.parse(entry.json) as SessionData;
  }

  async save(key: string, data: SessionData, expiresAt: Date): Promise<string> {
    this.#sessions.set(key, { json: JSON.stringify(data), expiresAt: expiresAt.getTime() });
    return key;
  }

  async delete(key: string): Promise<void> {
    this.#sessions.delete(key);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.load(key)) !== null;
  }

  async clearExpired(): Promise<number> {
    let removed = 0;
    const now = this.#now();
    for (const [key, entry] of this.#sessions) {
      if (entry.expiresAt <= now) {
        this.#sessions.delete(key);
        removed++;
      }
    }
    return removed;
  }
}
