/**
 * `@atrium/core/cache`: the cache framework — CACHES aliases, the Cache API,
 * backends (locmem, redis, memcached, dummy; 'database' from @atrium/orm),
 * and HTTP caching (cachePage, the cache middleware, Vary/Cache-Control helpers).
 */
export { Cache, type CacheEntries, type CacheOptions, type CacheTimeout, type VersionOption } from './cache.js';
export { CacheHandler, caches, type CacheConfig, type CacheHandlerOptions } from './cache-handler.js';
export { closeCaches } from './app-caches.js';
export type { CacheStore, CacheStoreConfig, CacheStoreFactory, PeekedEntry } from './cache-store.js';
export { builtinCacheBackends, singleLocation, positiveInteger } from './cache-backends.js';
export { defaultKeyFunction, cacheKeyProblem, MEMCACHED_MAX_KEY_LENGTH, type CacheKey, type KeyFunction } from './cache-key.js';
export { serializeCacheValue, deserializeCacheValue } from './cache-serializer.js';
export { copyPlainJson, copierFor, type JsonCopier } from './plain-json-copy.js';
export { rateLimitedLog, type CacheLog } from './outage-log.js';
export { MemoryStore, type MemoryStoreOptions } from './stores/memory-store.js';
export { DummyStore } from './stores/dummy-store.js';
export { RedisStore, type RedisStoreOptions } from './stores/redis-store.js';
export { MemcachedStore, type MemcachedStoreOptions } from './stores/memcached-store.js';
export { InvalidCacheKey, CacheKeyMissing, CacheValueError, CacheUnavailable } from '../errors.js';
export {
  patchVary,
  patchCacheControl,
  parseCacheControl,
  getMaxAge,
  varyHeaders,
  addNeverCacheHeaders,
  patchResponseHeaders,
  type CacheControlDirectives,
} from './http/cache-headers.js';
export { cachePage, neverCache, type CachePageOptions } from './http/cache-page.js';
export { cacheMiddleware, updateCacheMiddleware, fetchFromCacheMiddleware } from './http/cache-middleware.js';
export { fetchCachedResponse, storeResponse, uncacheableReason } from './http/response-cache.js';
