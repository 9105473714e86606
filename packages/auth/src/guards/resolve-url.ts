import type { HttpRequest } from '@atrium/core';

/**
 * A setting that names a page as a path ('/accounts/login/'), a URL
 * ('https://sso.example.com/login') or a route name ('auth:login'), as a
 * path or URL to redirect to.
 * @example resolveUrl(request, settings.LOGIN_URL) // '/accounts/login/'
 */
export function resolveUrl(request: HttpRequest, value: string): string {
  if (value.startsWith('/') || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  return request.reverse(value);
}

/**
 * `url` with `field=next` added to its query string; a path stays a path.
 * @example withNext('/accounts/two-factor/setup/', 'next', '/admin/') // '/accounts/two-factor/setup/?next=%2Fadmin%2F'
 */
export function withNext(url: string, field: string, next: string): string {
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
  const parsed = new URL(url, 'http://placeholder.invalid');
  parsed.searchParams.set(field, next);
  return absolute ? parsed.href : `${parsed.pathname}${parsed.search}${parsed.hash}`;
}
