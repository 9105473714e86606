import type { AppContext } from '../../app/context.js';
import type { HttpRequest } from '../../http/request.js';
import type { Middleware, MiddlewareFactory } from '../../middleware/types.js';
import { caches } from '../cache-handler.js';
import { fetchCachedResponse, storeResponse } from './response-cache.js';

/** Requests that missed in fetchFromCache, for updateCache to store (Django's _cache_update_cache). */
const toStore = new WeakSet<HttpRequest>();

interface SiteCacheSettings {
  alias: string;
  seconds: number;
  keyPrefix: string;
}

function siteCacheSettings(app: AppContext): SiteCacheSettings {
  const s = app.settings;
  return { alias: s.CACHE_MIDDLEWARE_ALIAS, seconds: s.CACHE_MIDDLEWARE_SECONDS, keyPrefix: s.CACHE_MIDDLEWARE_KEY_PREFIX };
}

/**
 * 'updateCache': put it FIRST in MIDDLEWARE, so it stores the response
 * after every other layer added its headers (session and gzip add Vary).
 * Stores only requests that 'fetchFromCache' missed, and only cacheable
 * responses (GET/HEAD, 200, no cookies, not private/no-store/no-cache).
 */
export const updateCacheMiddleware: MiddlewareFactory = (app) => {
  const { alias, seconds, keyPrefix } = siteCacheSettings(app);
  const cache = caches(app).get(alias);
  const update: Middleware = async (request, next) => {
    const response = await next(request);
    if (toStore.has(request)) await storeResponse(cache, keyPrefix, request, response, seconds);
    return response;
  };
  return update;
};

/**
 * 'fetchFromCache': put it LAST in MIDDLEWARE, so a cached page skips only
 * the view. A hit is returned as stored; a miss marks the request for
 * 'updateCache'. Other methods pass straight through.
 */
export const fetchFromCacheMiddleware: MiddlewareFactory = (app) => {
  const { alias, keyPrefix } = siteCacheSettings(app);
  const cache = caches(app).get(alias);
  const fetch: Middleware = async (request, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next(request);
    const hit = await fetchCachedResponse(cache, keyPrefix, request);
    if (hit) return hit;
    toStore.add(request);
    return next(request);
  };
  return fetch;
};

/**
 * 'cache': both halves at one position (the simple setup when no other
 * layer adds Vary or cookies after it).
 */
export const cacheMiddleware: MiddlewareFactory = (app) => {
  const fetch = fetchFromCacheMiddleware(app);
  const update = updateCacheMiddleware(app);
  const both: Middleware = (request, next) => update(request, (req) => fetch(req, next));
  return both;
};
