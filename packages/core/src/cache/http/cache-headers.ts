import type { HttpResponse } from '../../http/response.js';

/** Cache-Control directives: a flag (true), a value, or false to remove. */
export type CacheControlDirectives = Record<string, string | number | boolean>;

/**
 * The response's Cache-Control as directives (lower-case names; a bare
 * directive is `true`).
 * @example parseCacheControl(response) // { 'max-age': '60', public: true }
 */
export function parseCacheControl(response: HttpResponse): Record<string, string | true> {
  const out: Record<string, string | true> = Object.create(null) as Record<string, string | true>;
  const header = response.headers.get('cache-control');
  if (!header) return out;
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const name = (eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (name === '') continue;
    out[name] = eq === -1 ? true : part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return out;
}

/**
 * Merge directives into Cache-Control, as Django's patch_cache_control:
 * `private` and `public` exclude each other; when both the response and
 * the call give a max-age, the smaller wins; `false` removes a directive.
 * @example patchCacheControl(response, { public: true, 'max-age': 3600 });
 */
export function patchCacheControl(response: HttpResponse, directives: CacheControlDirectives): HttpResponse {
  const current = parseCacheControl(response);
  if (directives['private'] === true) delete current['public'];
  if (directives['public'] === true) delete current['private'];
  const existingMaxAge = current['max-age'];
  const newMaxAge = directives['max-age'];
  if (typeof existingMaxAge === 'string' && /^\d+$/.test(existingMaxAge) && typeof newMaxAge === 'number') {
    directives = { ...directives, 'max-age': Math.min(Number(existingMaxAge), newMaxAge) };
  }
  for (const [rawName, value] of Object.entries(directives)) {
    const name = rawName.toLowerCase().replace(/_/g, '-');
    if (value === false) delete current[name];
    else current[name] = value === true ? true : String(value);
  }
  const header = Object.entries(current)
    .map(([name, value]) => (value === true ? name : `${name}=${/^[\w.-]*$/.test(value) ? value : `"${value.replace(/["\\]/g, '')}"`}`))
    .join(', ');
  if (header === '') response.headers.delete('cache-control');
  else response.headers.set('cache-control', header);
  return response;
}

/** Seconds of `max-age` in Cache-Control, or undefined when absent or malformed. */
export function getMaxAge(response: HttpResponse): number | undefined {
  const value = parseCacheControl(response)['max-age'];
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/** The header names in Vary, lower-cased ('*' included as is). */
export function varyHeaders(response: HttpResponse): string[] {
  const header = response.headers.get('vary');
  if (!header) return [];
  return header
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
}

/**
 * Add header names to Vary, keeping existing ones and their order, without
 * duplicates (case-insensitive); '*' replaces everything.
 * @example patchVary(response, ['Accept-Language', 'Cookie']);
 */
export function patchVary(response: HttpResponse, headers: readonly string[]): HttpResponse {
  const header = response.headers.get('vary');
  const names = header ? header.split(',').map((name) => name.trim()).filter((name) => name !== '') : [];
  const seen = new Set(names.map((name) => name.toLowerCase()));
  for (const name of headers) {
    if (!seen.has(name.toLowerCase())) {
      names.push(name);
      seen.add(name.toLowerCase());
    }
  }
  response.headers.set('vary', seen.has('*') ? '*' : names.join(', '));
  return response;
}

/**
 * Headers that keep browsers and proxies from caching: Django's
 * add_never_cache_headers.
 * @example return addNeverCacheHeaders(render(request, 'account.html', { user }));
 */
export function addNeverCacheHeaders(response: HttpResponse): HttpResponse {
  response.headers.set('expires', new Date().toUTCString());
  return patchCacheControl(response, { 'max-age': 0, 'no-cache': true, 'no-store': true, 'must-revalidate': true, private: true, public: false });
}

/**
 * Give a response Expires and `Cache-Control: max-age` for `seconds`,
 * unless it already has a max-age (Django's patch_response_headers).
 */
export function patchResponseHeaders(response: HttpResponse, seconds: number): HttpResponse {
  const timeout = Math.max(0, Math.floor(seconds));
  if (!response.headers.has('expires')) response.headers.set('expires', new Date(Date.now() + timeout * 1000).toUTCString());
  if (getMaxAge(response) === undefined) patchCacheControl(response, { 'max-age': timeout });
  return response;
}
