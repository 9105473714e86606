import { ImproperlyConfigured } from '../errors.js';
import type { CacheStoreConfig, CacheStoreFactory } from './cache-store.js';
import { DummyStore } from './stores/dummy-store.js';
import { MemcachedStore } from './stores/memcached-store.js';
import { MemoryStore } from './stores/memory-store.js';
import { RedisStore } from './stores/redis-store.js';

/** Named locmem stores: caches with the same LOCATION share one in a process, as in Django. */
const sharedMemoryStores = new Map<string, MemoryStore>();

/**
 * The backends core ships, by the name CACHES uses in BACKEND. Apps add
 * more under the `cacheBackends` extension (the orm app adds 'database').
 */
export const builtinCacheBackends: Readonly<Record<string, CacheStoreFactory>> = {
  locmem: (config) => {
    const options = {
      maxEntries: positiveInteger(config, 'MAX_ENTRIES', 10_000),
      maxBytes: positiveInteger(config, 'MAX_BYTES', 64 * 1024 * 1024),
    };
    const name = singleLocation(config, '');
    // An unnamed store is private to its cache, so two projects in one process (tests) never share entries.
    if (name === '') return new MemoryStore(options);
    let store = sharedMemoryStores.get(name);
    if (!store) {
      store = new MemoryStore(options);
      sharedMemoryStores.set(name, store);
    }
    return store;
  },
  dummy: () => new DummyStore(),
  redis: (config) => new RedisStore({ url: singleLocation(config, 'redis://127.0.0.1:6379/0'), timeout: positiveInteger(config, 'TIMEOUT_MS', 500) }),
  memcached: (config) => {
    const servers = typeof config.location === 'string' ? config.location || '127.0.0.1:11211' : config.location;
    return new MemcachedStore({ servers, timeout: positiveInteger(config, 'TIMEOUT_MS', 500) });
  },
};

/** LOCATION as one string (the default when empty); a list is refused with the reason. */
export function singleLocation(config: CacheStoreConfig, fallback: string): string {
  if (typeof config.location !== 'string') {
    throw new ImproperlyConfigured(`CACHES['${config.alias}'].LOCATION must be one string for this backend; got a list.`);
  }
  return config.location || fallback;
}

/** A positive integer option, or its default; anything else stops start-up naming the option. */
export function positiveInteger(config: CacheStoreConfig, name: string, fallback: number): number {
  const value = config.options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new ImproperlyConfigured(`CACHES['${config.alias}'].OPTIONS.${name} must be a positive integer; got ${JSON.stringify(value)}.`);
  }
  return value;
}
