import { PermissionDenied, redirect, type HttpRequest, type HttpResponse } from '@atrium/core';
import { getUser } from '../login/user-slot.js';
import { authSettings } from '../settings.js';
import { isTwoFactorVerified } from '../two-factor/two-factor-session.js';
import { AnonymousUser, type AuthUser } from './auth-user.js';
import { isSafeRedirect } from './is-safe-redirect.js';
import { resolveUrl } from './resolve-url.js';

/** Any view: a function view or an `asView()` result. `never` params accept every view's own parameter type. */
export type GuardableView = (request: HttpRequest, params: never) => HttpResponse | Promise<HttpResponse>;

export interface GuardOptions {
  /** Where anonymous users go; default LOGIN_URL (a path, a URL or a route name). */
  loginUrl?: string;
  /** Query parameter carrying the page to come back to; default REDIRECT_FIELD_NAME ('next'). */
  redirectFieldName?: string;
}

export interface PermissionGuardOptions extends GuardOptions {
  /** The object for object-level permissions, e.g. the post being edited. */
  object?: (request: HttpRequest, params: Record<string, unknown>) => unknown;
}

/**
 * The current user once loaded (after `await getUser(request)`, which
 * guards call), or AnonymousUser when no authentication middleware runs.
 * Throws UserNotLoaded when the 'auth' middleware has not loaded it yet.
 * @example await getUser(request); currentUser(request).isAuthenticated
 */
export function currentUser(request: HttpRequest): AuthUser {
  return request.state.user ?? AnonymousUser;
}

/**
 * Only logged-in users reach the view; others are redirected to LOGIN_URL
 * with `?next=` set to the page they asked for.
 * @example path('account/', loginRequired(accountPage), { name: 'account' })
 * @example path('orders/', loginRequired(OrderList.asView()), { name: 'orders' })
 */
export function loginRequired<V extends GuardableView>(view: V, options: GuardOptions = {}): V {
  return guard(view, async (request) => ((await getUser(request)).isAuthenticated ? null : redirectToLogin(request, options)));
}

/**
 * Only users holding every listed permission reach the view: anonymous users
 * are sent to log in, logged-in users without it get 403.
 * @example path('posts/<int:id>/edit/', permissionRequired('blog.change_post', editPost), { name: 'edit' })
 */
export function permissionRequired<V extends GuardableView>(perms: string | readonly string[], view: V, options: PermissionGuardOptions = {}): V {
  const required = typeof perms === 'string' ? [perms] : [...perms];
  return guard(view, async (request, params) => {
    const user = await getUser(request);
    if (!user.isAuthenticated) return redirectToLogin(request, options);
    const object = options.object ? await options.object(request, params) : undefined;
    for (const perm of required) {
      if (!(await (object === undefined ? user.hasPerm(perm) : user.hasPerm(perm, object)))) {
        throw new PermissionDenied(`You do not have the permission '${perm}' needed for this page.`);
      }
    }
    return null;
  });
}

/**
 * Only active staff users reach the view (the admin's guard): anonymous
 * users are sent to log in, other users get 403. With
 * AUTH_REQUIRE_2FA_FOR_STAFF, staff who have not passed a second factor in
 * this session are sent to verify one (or to enrol, when they have none).
 * @example path('reports/', staffRequired(reports), { name: 'reports' })
 */
export function staffRequired<V extends GuardableView>(view: V, options: GuardOptions = {}): V {
  return guard(view, async (request) => {
    const user = await getUser(request);
    if (!user.isAuthenticated) return redirectToLogin(request, options);
    if (!user.isActive || !user.isStaff) throw new PermissionDenied('This page is for staff members only.');
    const settings = authSettings(request.app);
    if (settings.AUTH_REQUIRE_2FA_FOR_STAFF && !(await isTwoFactorVerified(request))) {
      return redirectWithNext(request, settings.TWO_FACTOR_VERIFY_URL, settings.REDIRECT_FIELD_NAME);
    }
    return null;
  });
}

/**
 * A redirect to the login page that comes back to this request's page.
 * @example if (!user.isAuthenticated) return redirectToLogin(request);
 */
export function redirectToLogin(request: HttpRequest, options: GuardOptions = {}): HttpResponse {
  const settings = authSettings(request.app);
  return redirectWithNext(request, options.loginUrl ?? settings.LOGIN_URL, options.redirectFieldName ?? settings.REDIRECT_FIELD_NAME);
}

/**
 * A redirect to `page` (a path, URL or route name) carrying this request's
 * page in `field`, so it can come back here.
 * @example return redirectWithNext(request, 'auth:two_factor_verify', 'next');
 */
export function redirectWithNext(request: HttpRequest, page: string, field: string): HttpResponse {
  const loginUrl = resolveUrl(request, page);
  const target = new URL(loginUrl, request.buildAbsoluteUri('/'));
  const here = new URL(request.buildAbsoluteUri('/'));
  // On the same site a path is enough; a login page elsewhere needs the full URL to come back.
  const next = target.origin === here.origin ? request.url : request.buildAbsoluteUri();
  target.searchParams.set(field, next);
  const location = target.origin === here.origin ? `${target.pathname}${target.search}${target.hash}` : target.href;
  return redirect(location);
}

/**
 * The `?next=` target of this request when it is safe to redirect to (this
 * host or REDIRECT_ALLOWED_HOSTS, https only on an HTTPS request), else `fallback`.
 * @example return redirect(safeNextUrl(request, settings.LOGIN_REDIRECT_URL));
 */
export function safeNextUrl(request: HttpRequest, fallback: string, candidate?: string | null): string {
  const settings = authSettings(request.app);
  const next = candidate !== undefined ? candidate : request.query.get(settings.REDIRECT_FIELD_NAME);
  const safe = isSafeRedirect(next, { allowedHosts: [request.host, ...settings.REDIRECT_ALLOWED_HOSTS], requireHttps: request.isSecure });
  return safe ? next! : fallback;
}

/**
 * Wrap a view with a check that may answer instead of it. The wrapper keeps
 * the view's name and class-view metadata (viewClass, viewMethods, csrfExempt...).
 */
function guard<V extends GuardableView>(view: V, check: (request: HttpRequest, params: Record<string, unknown>) => Promise<HttpResponse | null>): V {
  const wrapped = async (request: HttpRequest, params: Record<string, unknown>): Promise<HttpResponse> => {
    const refusal = await check(request, params);
    return refusal ?? view(request, params as never);
  };
  const descriptors = Object.getOwnPropertyDescriptors(view) as Record<PropertyKey, PropertyDescriptor>;
  for (const key of Reflect.ownKeys(descriptors)) {
    if (key === 'length' || key === 'prototype') continue;
    Object.defineProperty(wrapped, key, descriptors[key as string]!);
  }
  return wrapped as unknown as V;
}
