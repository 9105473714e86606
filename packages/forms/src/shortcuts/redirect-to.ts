import { ImproperlyConfigured, redirect, type HttpRequest, type HttpResponse } from '@atrium/core';

/** An object that knows its own page (a model instance with `getAbsoluteUrl()`). */
export interface HasAbsoluteUrl {
  getAbsoluteUrl(): string;
}

function hasAbsoluteUrl(value: unknown): value is HasAbsoluteUrl {
  return typeof value === 'object' && value !== null && typeof (value as Partial<HasAbsoluteUrl>).getAbsoluteUrl === 'function';
}

/**
 * The URL of a redirect target: an object's `getAbsoluteUrl()`, a URL or
 * path (anything with a '/'), or a route name reversed with `params`.
 * @example urlOf(request, 'blog:detail', { id: 3 }) // '/blog/3/'
 */
export function urlOf(request: HttpRequest, to: string | HasAbsoluteUrl, params?: Readonly<Record<string, unknown>>): string {
  if (hasAbsoluteUrl(to)) return to.getAbsoluteUrl();
  if (typeof to !== 'string') {
    throw new ImproperlyConfigured('redirectTo() needs a URL, a route name, or an object with getAbsoluteUrl().');
  }
  return to.includes('/') ? to : request.reverse(to, params);
}

/**
 * A 302 (or 301 with `permanent`) to a route name, a URL, or a model
 * instance's `getAbsoluteUrl()` (Django's `redirect` shortcut).
 * @example return redirectTo(request, 'blog:detail', { id: post.id });
 * @example return redirectTo(request, post);
 */
export function redirectTo(request: HttpRequest, to: string | HasAbsoluteUrl, params?: Readonly<Record<string, unknown>>, options: { permanent?: boolean } = {}): HttpResponse {
  return redirect(urlOf(request, to, params), options);
}
