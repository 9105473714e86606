import type { CacheStore } from '../cache-store.js';

/**
 * Caches nothing, for development and tests: every read misses, every write
 * "succeeds". incr finds no key (CacheKeyMissing), as Django's DummyCache.
 * @example CACHES: { default: { BACKEND: 'dummy' } }
 */
export class DummyStore implements CacheStore {
  readonly name = 'dummy';
  async get(): Promise<string | undefined> {
    return undefined;
  }
  async getMany(): Promise<Map<string, string>> {
    return new Map();
  }
  async set(): Promise<void> {}
  async setMany(): Promise<void> {}
  async add(): Promise<boolean> {
    return true;
  }
  async delete(): Promise<boolean> {
    return false;
  }
  async deleteMany(): Promise<void> {}
  async incr(): Promise<number | undefined> {
    return undefined;
  }
  async touch(): Promise<boolean> {
    return false;
  }
  async has(): Promise<boolean> {
    return false;
  }
  async clear(): Promise<void> {}
  async close(): Promise<void> {}
}
