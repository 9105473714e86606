import { NoReverseMatch, type HttpRequest } from '@atrium/core';

/** The auth routes' names, for the links views put in their templates. */
const AUTH_ROUTE_NAMES = [
  'login',
  'logout',
  'password_change',
  'password_change_done',
  'password_reset',
  'password_reset_done',
  'password_reset_complete',
  'two_factor_setup',
  'two_factor_verify',
  'two_factor_disable',
] as const;
export type AuthRouteName = (typeof AUTH_ROUTE_NAMES)[number] | 'password_reset_confirm';

/**
 * The URL of another auth route in the namespace this request's route is in
 * (`include('accounts/', authRoutes, { namespace: 'auth' })` gives
 * 'auth:...'), so the auth views work under any prefix and namespace.
 * @example siblingUrl(request, 'password_change_done') // '/accounts/password-change/done/'
 */
export function siblingUrl(request: HttpRequest, name: AuthRouteName, params?: Record<string, unknown>): string {
  const current = request.routeName ?? '';
  const colon = current.lastIndexOf(':');
  const prefix = colon === -1 ? '' : current.slice(0, colon + 1);
  return request.reverse(prefix + name, params);
}

/**
 * Every auth page's URL by route name, for templates (`{{ urls.password_reset }}`);
 * routes the project left out are missing.
 */
export function authUrls(request: HttpRequest): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const name of AUTH_ROUTE_NAMES) {
    try {
      urls[name] = siblingUrl(request, name);
    } catch (error) {
      if (!(error instanceof NoReverseMatch)) throw error;
    }
  }
  return urls;
}
