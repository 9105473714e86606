import { redirect, type HttpRequest, type HttpResponse } from '@atrium/core';
import { safeNextUrl } from '../guards/guards.js';
import { resolveUrl } from '../guards/resolve-url.js';
import { logout } from '../login/login.js';
import { authSettings } from '../settings.js';
import { renderAuthPage, requestedNext } from './render-page.js';

/**
 * Log out, by POST only (a GET link or an <img> on another site must not
 * log anyone out; the route answers GET with 405). Then go to a safe
 * `next`, else LOGOUT_REDIRECT_URL, else show `registration/logged_out.html`.
 * @example path('logout/', logoutView, { name: 'logout', methods: ['POST'] })
 */
export async function logoutView(request: HttpRequest): Promise<HttpResponse> {
  const next = await requestedNext(request);
  await logout(request);
  const settings = authSettings(request.app);
  const fallback = settings.LOGOUT_REDIRECT_URL === null ? null : resolveUrl(request, settings.LOGOUT_REDIRECT_URL);
  const target = next === null ? fallback : safeNextUrl(request, fallback ?? '', next) || null;
  if (target) return redirect(target);
  return renderAuthPage(request, 'registration/logged_out.html', {});
}
