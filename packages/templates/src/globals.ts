import type { AppContext } from '@atrium/core';

/** Nunjucks marks keyword arguments (`url('post', id=3)`) with this flag on the last argument. */
const KEYWORDS_FLAG = '__keywords';

/**
 * Template globals: `url(name, params)` reverses a named route and
 * `static(path)` builds the URL of a static file under STATIC_URL.
 * @example <a href="{{ url('blog:detail', { id: post.id }) }}">   <a href="{{ url('blog:detail', id=post.id) }}">
 * @example <link rel="stylesheet" href="{{ static('css/site.css') }}">
 */
export function templateGlobals(context: AppContext): Record<string, unknown> {
  return {
    url: (name: unknown, ...args: unknown[]): string => context.reverse(String(name), routeParams(args)),
    static: (path: unknown): string => staticUrl(context.settings.STATIC_URL, String(path)),
  };
}

function routeParams(args: readonly unknown[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const arg of args) {
    if (arg === undefined || arg === null) continue;
    if (typeof arg !== 'object') {
      throw new TypeError(`url() takes the route name and an object of parameters, e.g. url('blog:detail', { id: 3 }) or url('blog:detail', id=3); got ${JSON.stringify(arg)}.`);
    }
    for (const [key, value] of Object.entries(arg)) {
      if (key !== KEYWORDS_FLAG && key !== '__proto__') params[key] = value;
    }
  }
  return params;
}

/**
 * STATIC_URL joined with a path relative to the static folders, each segment
 * percent-encoded (as Django's `static` quotes it).
 * @example staticUrl('/static/', 'css/site.css') // '/static/css/site.css'
 */
export function staticUrl(prefix: string, path: string): string {
  let start = 0;
  while (path[start] === '/') start++;
  const encoded = path
    .slice(start)
    .split('/')
    .map((segment) => encodeSegment(segment))
    .join('/');
  return prefix.endsWith('/') ? prefix + encoded : `${prefix}/${encoded}`;
}

function encodeSegment(segment: string): string {
  // Round-trip through UTF-8 first: encodeURIComponent throws on a lone surrogate.
  return encodeURIComponent(Buffer.from(segment, 'utf8').toString('utf8'));
}
