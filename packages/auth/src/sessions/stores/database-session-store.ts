import { SessionRecord } from '../session-record.js';
import type { SessionData, SessionStore } from '../session-store.js';
import { generateSessionKey, isValidSessionKey } from '../session-key.js';

export interface DatabaseSessionStoreOptions {
  /** Database alias (default 'default'). */
  using?: string;
  /** Milliseconds since the epoch; tests pass a fake clock. */
  now?: () => number;
}

/**
 * Sessions in the database (SessionRecord, table auth_session): shared by
 * every worker, revocable, and the default engine when the orm app is
 * installed. Expired rows are ignored on load and deleted by
 * `manage clearsessions`. A database outage surfaces as an error the
 * Session turns into a 503 (fail closed).
 * @example const store = new DatabaseSessionStore({ using: 'default' });
 */
export class DatabaseSessionStore implements SessionStore {
  readonly name = 'db';
  readonly revocable = true;
  readonly #using: string;
  readonly #now: () => number;

  constructor(options: DatabaseSessionStoreOptions = {}) {
    this.#using = options.using ?? 'default';
    this.#now = options.now ?? Date.now;
  }

  #rows() {
    return SessionRecord.objects.using(this.#using);
  }

  async createKey(): Promise<string> {
    for (;;) {
      const key = generateSessionKey();
      // 192 random bits do not collide in practice; one indexed lookup rules it out.
      if (!(await this.#rows().filter({ sessionKey: key }).exists())) return key;
    }
  }

  async load(key: string): Promise<SessionData | null> {
    if (!isValidSessionKey(key)) return null;
    const row = await this.#rows()
      .filter({ sessionKey: key, expireDate: { gt: new Date(this.#now()) } })
      .valuesList('sessionData', { flat: true })
      .first();
    if (row === null || row === undefined) return null;
    try {
      const data: unknown = JSON.parse(row);
      return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as SessionData) : null;
    } catch {
      return null;
    }
  }

  async save(key: string, data: SessionData, expiresAt: Date): Promise<string> {
    const values = { sessionData: JSON.stringify(data), expireDate: expiresAt };
    const updated = await this.#rows().filter({ sessionKey: key }).update(values);
    if (updated === 0) await this.#rows().create({ sessionKey: key, ...values });
    return key;
  }

  async delete(key: string): Promise<void> {
    if (!isValidSessionKey(key)) return;
    await this.#rows().filter({ sessionKey: key }).delete();
  }

  async exists(key: string): Promise<boolean> {
    if (!isValidSessionKey(key)) return false;
    return this.#rows()
      .filter({ sessionKey: key, expireDate: { gt: new Date(this.#now()) } })
      .exists();
  }

  async clearExpired(): Promise<number> {
    const { total } = await this.#rows()
      .filter({ expireDate: { lte: new Date(this.#now()) } })
      .delete();
    return total;
  }
}
