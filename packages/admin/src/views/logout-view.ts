import { redirect, type HttpRequest, type HttpResponse } from '@atrium/core';
import { authSettings, logout, safeNextUrl } from '@atrium/auth';
import type { AdminSite } from '../admin-site.js';
import { forgetUser } from '../user-of.js';
import { renderAdmin } from './admin-page.js';

/**
 * Log out (the route takes POST only, with the CSRF token of the header's
 * form), then go to a safe `?next=` or show `admin/logged_out.html`.
 */
export async function adminLogoutView(site: AdminSite, request: HttpRequest): Promise<HttpResponse> {
  const field = authSettings(request.app).REDIRECT_FIELD_NAME;
  const posted = request.contentType === 'application/x-www-form-urlencoded' || request.contentType === 'multipart/form-data' ? (await request.form()).fields.get(field) : undefined;
  const next = posted ?? request.query.get(field);
  await logout(request);
  forgetUser(request);
  if (next) {
    const target = safeNextUrl(request, '', next);
    if (target) return redirect(target);
  }
  return renderAdmin(site, request, 'logged_out.html', undefined, { title: 'Logged out', login_url: site.url(request, 'login'), admin_user: null });
}
