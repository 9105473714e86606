import { createHash } from 'node:crypto';
import type { HttpRequest } from '../../http/request.js';
import { HttpResponse } from '../../http/response.js';
import type { Cache } from '../cache.js';
import { getMaxAge, parseCacheControl, patchResponseHeaders, varyHeaders } from './cache-headers.js';

/** A response as the cache holds it. */
interface StoredResponse {
  status: number;
  headers: Array<[string, string]>;
  body: string | Uint8Array | null;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 32);
}

/** The URL that identifies a page: scheme, host, path and query. */
function pageUrl(request: HttpRequest): string {
  return request.buildAbsoluteUri(request.url);
}

function headerListKey(keyPrefix: string, request: HttpRequest): string {
  return `views.cache.headers.${keyPrefix}.${digest(pageUrl(request))}`;
}

function pageKey(keyPrefix: string, method: string, request: HttpRequest, headerNames: readonly string[]): string {
  const varied = headerNames.map((name) => `${name}=${request.header(name) ?? ''}`).join('\n');
  return `views.cache.page.${keyPrefix}.${method}.${digest(pageUrl(request))}.${digest(varied)}`;
}

/**
 * Why `response` must not go into a shared cache, or null when it may:
 * only 200 answers to GET/HEAD, with an in-memory body, no cookies, no
 * `Vary: *`, and no private/no-store/no-cache/max-age=0 (Django's
 * UpdateCacheMiddleware rules, plus: a response that sets a cookie is
 * never cached, so one visitor's cookie is never served to another).
 */
export function uncacheableReason(request: HttpRequest, response: HttpResponse): string | null {
  if (request.method !== 'GET' && request.method !== 'HEAD') return `method ${request.method}`;
  if (response.status !== 200) return `status ${response.status}`;
  if (typeof response.body !== 'string' && !(response.body instanceof Uint8Array) && response.body !== null) return 'streamed body';
  if (response.hasCookies || response.headers.has('set-cookie')) return 'sets a cookie';
  if (varyHeaders(response).includes('*')) return 'Vary: *';
  const control = parseCacheControl(response);
  for (const directive of ['private', 'no-store', 'no-cache']) if (control[directive] !== undefined) return `Cache-Control: ${directive}`;
  if (getMaxAge(response) === 0) return 'Cache-Control: max-age=0';
  return null;
}

/**
 * Look the request up (Django's get_cache_key + cache.get): the header
 * names the page varies on are stored per URL, then the page under a key
 * of the URL and those headers' values. HEAD falls back to GET's entry.
 */
export async function fetchCachedResponse(cache: Cache, keyPrefix: string, request: HttpRequest): Promise<HttpResponse | undefined> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  const headerNames = await cache.get<string[]>(headerListKey(keyPrefix, request));
  if (!Array.isArray(headerNames)) return undefined;
  const methods = request.method === 'HEAD' ? ['HEAD', 'GET'] : ['GET'];
  for (const method of methods) {
    const stored = await cache.get<StoredResponse>(pageKey(keyPrefix, method, request, headerNames));
    if (stored !== undefined) return revive(stored);
  }
  return undefined;
}

/**
 * Store a cacheable response for `timeout` seconds (or its own max-age),
 * learning its Vary headers; adds Expires and max-age to it. Returns
 * whether it was stored.
 */
export async function storeResponse(cache: Cache, keyPrefix: string, request: HttpRequest, response: HttpResponse, timeout: number): Promise<boolean> {
  if (uncacheableReason(request, response) !== null) return false;
  const seconds = getMaxAge(response) ?? timeout;
  if (seconds <= 0) return false;
  patchResponseHeaders(response, seconds);
  const headerNames = varyHeaders(response).sort();
  await cache.set(headerListKey(keyPrefix, request), headerNames, seconds);
  const stored: StoredResponse = { status: response.status, headers: [...response.headers.entries()], body: response.body as string | Uint8Array | null };
  return cache.set(pageKey(keyPrefix, request.method, request, headerNames), stored, seconds);
}

function revive(stored: StoredResponse): HttpResponse {
  const response = new HttpResponse(stored.body);
  response.status = stored.status;
  for (const [name, value] of stored.headers) response.headers.append(name, value);
  return response;
}
