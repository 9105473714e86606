import type { HttpRequest } from '../../http/request.js';
import type { HttpResponse } from '../../http/response.js';
import { caches } from '../cache-handler.js';
import { fetchCachedResponse, storeResponse } from './response-cache.js';
import { addNeverCacheHeaders } from './cache-headers.js';

export interface CachePageOptions {
  /** CACHES alias (default 'default'). */
  cache?: string;
  /** Separates this view's entries from others on the same URL space. */
  keyPrefix?: string;
}

type View<P> = (request: HttpRequest, params: P) => HttpResponse | Promise<HttpResponse>;

/**
 * Cache a view's responses for `seconds` (a response's own max-age wins),
 * per URL and per value of each header in its Vary. Only cacheable
 * responses are stored (see the cache middleware): GET/HEAD, 200, no
 * cookies, not private/no-store/no-cache. A cache outage just runs the view.
 * @example path('archive/', cachePage(60 * 15)(archive), 'archive')
 */
export function cachePage(seconds: number, options: CachePageOptions = {}): <P>(view: View<P>) => View<P> {
  const alias = options.cache ?? 'default';
  const keyPrefix = options.keyPrefix ?? '';
  return <P>(view: View<P>): View<P> => {
    const cached: View<P> = async (request, params) => {
      const cache = caches(request.app).get(alias);
      const hit = await fetchCachedResponse(cache, keyPrefix, request);
      if (hit) return hit;
      const response = await view(request, params);
      await storeResponse(cache, keyPrefix, request, response, seconds);
      return response;
    };
    return Object.defineProperty(cached, 'name', { value: view.name || 'cachedView' });
  };
}

/**
 * A view whose responses no browser or proxy caches (Django's never_cache).
 * @example path('account/', neverCache(account))
 */
export function neverCache<P>(view: View<P>): View<P> {
  const wrapped: View<P> = async (request, params) => addNeverCacheHeaders(await view(request, params));
  return Object.defineProperty(wrapped, 'name', { value: view.name || 'neverCachedView' });
}
