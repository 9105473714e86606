import { RedisConnection } from '@atrium/core/redis';
import type { SessionData, SessionStore } from '../session-store.js';
import { generateSessionKey, isValidSessionKey } from '../session-key.js';

export interface RedisSessionStoreOptions {
  /** redis://[user:password@]host:port/db */
  url: string;
  /** Prefix of every key, so sessions share a Redis with other data. */
  keyPrefix?: string;
  /** ms to connect or run a command before the store counts as down. */
  timeout?: number;
}

/**
 * Sessions in Redis (ioredis), one key per session with a TTL, so Redis
 * expires them itself. Shared by every worker on every machine. When Redis
 * is down, calls fail within the timeout and the session middleware fails
 * closed (503, or an empty session per SESSION_STORE_FAILURE).
 * @example const store = new RedisSessionStore({ url: 'redis://127.0.0.1:6379/0' });
 */
export class RedisSessionStore implements SessionStore {
  readonly name = 'redis';
  readonly revocable = true;
  readonly connection: RedisConnection;
  readonly #prefix: string;

  constructor(options: RedisSessionStoreOptions) {
    this.connection = new RedisConnection({ url: options.url, timeout: options.timeout ?? 1000 });
    this.#prefix = options.keyPrefix ?? 'atrium:session:';
  }

  async createKey(): Promise<string> {
    const redis = await this.connection.ready();
    for (;;) {
      const key = generateSessionKey();
      // With 192 random bits a clash is not expected; checking costs one round trip and rules it out.
      if ((await redis.exists(this.#prefix + key)) === 0) return key;
    }
  }

  async load(key: string): Promise<SessionData | null> {
    if (!isValidSessionKey(key)) return null;
    const redis = await this.connection.ready();
    const raw = await redis.get(this.#prefix + key);
    if (raw === null) return null;
    try {
      const data: unknown = JSON.parse(raw);
      return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as SessionData) : null;
    } catch {
      return null;
    }
  }

  async save(key: string, data: SessionData, expiresAt: Date): Promise<string> {
    const redis = await this.connection.ready();
    const ms = Math.max(1, expiresAt.getTime() - Date.now());
    await redis.set(this.#prefix + key, JSON.stringify(data), 'PX', ms);
    return key;
  }

  async delete(key: string): Promise<void> {
    if (!isValidSessionKey(key)) return;
    const redis = await this.connection.ready();
    await redis.del(this.#prefix + key);
  }

  async exists(key: string): Promise<boolean> {
    if (!isValidSessionKey(key)) return false;
    const redis = await this.connection.ready();
    return (await redis.exists(this.#prefix + key)) === 1;
  }

  /** Redis expires keys by their TTL; nothing is left to clear. */
  async clearExpired(): Promise<number> {
    return 0;
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
