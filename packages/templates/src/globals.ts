import { staticUrl, type AppContext } from '@atrium/core';

/** Nunjucks marks keyword arguments (`url('post', id=3)`) with this flag on the last argument. */
const KEYWORDS_FLAG = '__keywords';

/**
 * Template globals: `url(name, params)` reverses a named route through the
 * project's router, and `static(path)` is core's `staticUrl` (STATIC_URL +
 * path, the content-hashed name after collectstatic when DEBUG is off).
 * @example <a href="{{ url('blog:detail', { id: post.id }) }}">   <a href="{{ url('blog:detail', id=post.id) }}">
 * @example <link rel="stylesheet" href="{{ static('css/site.css') }}">
 */
export function templateGlobals(context: AppContext): Record<string, unknown> {
  return {
    url: (name: unknown, ...args: unknown[]): string => context.reverse(String(name), routeParams(args)),
    static: (path: unknown): string => staticUrl(context, String(path)),
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
