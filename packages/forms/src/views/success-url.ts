import { ImproperlyConfigured, SuspiciousOperation, type HttpRequest } from '@atrium/core';

/** Where a form view sends the browser after a successful POST. */
export interface SuccessUrlConfig {
  /** A URL; `{field}` is replaced by the saved object's field, percent-encoded ('/posts/{id}/'). */
  readonly successUrl: string | null;
  /** A route name, reversed with `successRouteParams` taken from the object. */
  readonly successRoute: string | null;
  /** Object fields passed to the route as parameters of the same name (`['pk']`, `['slug']`). */
  readonly successRouteParams: readonly string[] | null;
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function fieldOf(object: unknown, name: string, owner: string): unknown {
  const value = typeof object === 'object' && object !== null ? (object as Record<string, unknown>)[name] : undefined;
  if (value === undefined || value === null) {
    throw new ImproperlyConfigured(`${owner}'s success URL uses '${name}', which the saved object does not have (or is empty).`);
  }
  return value;
}

/**
 * The URL to redirect to after success: `successUrl` (placeholders filled),
 * else `successRoute` reversed, else the object's `getAbsoluteUrl()`.
 */
export function successUrlFor(config: SuccessUrlConfig, request: HttpRequest, object: unknown, owner: string): string {
  if (config.successUrl !== null) {
    const template = config.successUrl;
    const url = template.replace(PLACEHOLDER, (_, name: string) => encodeURIComponent(String(fieldOf(object, name, owner))));
    // A value must not turn a local path into a scheme-relative URL to another host.
    if (template.startsWith('/') && !template.startsWith('//') && url.startsWith('//')) {
      throw new SuspiciousOperation(`${owner} refused to redirect to '${url}': an object field made it point to another host.`);
    }
    return url;
  }
  if (config.successRoute !== null) {
    const params: Record<string, unknown> = {};
    for (const name of config.successRouteParams ?? []) params[name] = fieldOf(object, name, owner);
    return request.reverse(config.successRoute, params);
  }
  const own = typeof object === 'object' && object !== null ? (object as { getAbsoluteUrl?: unknown }).getAbsoluteUrl : undefined;
  if (typeof own === 'function') return String(own.call(object));
  throw new ImproperlyConfigured(
    `${owner} does not know where to redirect after success: set successUrl ('/posts/{id}/'), successRoute ('blog:detail' with successRouteParams ['pk']), or give the model instances a getAbsoluteUrl() method.`,
  );
}
