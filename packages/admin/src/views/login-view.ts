import { redirect, type HttpRequest, type HttpResponse } from '@atrium/core';
import { AuthenticationForm, authSettings, authenticateThrottled, beginPendingLogin, login, resolveUrl, safeNextUrl, totpDevice, withNext } from '@atrium/auth';
import type { AdminSite } from '../admin-site.js';
import { isAdminUser, loadUser, forgetUser } from '../user-of.js';
import { renderAdmin } from './admin-page.js';

/** What a valid account that is not active staff is told: the same words whether or not the password was right. */
export const NOT_STAFF_LOGIN = 'Please enter the correct username and password for a staff account. Note that both fields may be case-sensitive.';

/** The `next` page the form carries (hidden field on POST, query string on GET), unchecked. */
async function requestedNext(request: HttpRequest, field: string): Promise<string | null> {
  if (request.method === 'POST' && (request.contentType === 'application/x-www-form-urlencoded' || request.contentType === 'multipart/form-data')) {
    const posted = (await request.form()).fields.get(field);
    if (posted) return posted;
  }
  return request.query.get(field) ?? null;
}

/**
 * The admin's login page (`admin/login.html`), on auth's machinery: the
 * login throttle (429 with Retry-After when locked), authenticate(), a
 * second factor when the user has an authenticator (auth's verify page
 * finishes the login), enrolment when AUTH_REQUIRE_2FA_FOR_STAFF asks for
 * one, and a safe `?next=` (else the admin index). Only active staff log in
 * here; a logged-in user who is not staff sees the page with a message.
 */
export async function adminLoginView(site: AdminSite, request: HttpRequest): Promise<HttpResponse> {
  const settings = authSettings(request.app);
  const field = settings.REDIRECT_FIELD_NAME;
  const next = await requestedNext(request, field);
  const target = safeNextUrl(request, site.url(request, 'index'), next);
  const current = await loadUser(request);
  if (request.method !== 'POST' && isAdminUser(current)) return redirect(target);
  const form = await AuthenticationForm.bind(request);
  const page = (status = 200, headers: Record<string, string> = {}) =>
    renderAdmin(
      site,
      request,
      'login.html',
      undefined,
      {
        title: 'Log in',
        form,
        next: next ?? '',
        redirect_field: field,
        // Logged in, but not someone the admin lets in.
        not_allowed_as: current.isAuthenticated && !isAdminUser(current) ? current.getUsername() : null,
        admin_user: null,
      },
      { status, headers: { 'cache-control': 'no-store', ...headers } },
    );
  if (request.method !== 'POST' || !(await form.isValid())) return page();

  const result = await authenticateThrottled(request, form.cleanedData.username, form.cleanedData.password);
  // A valid account that is not active staff is refused too: the admin does not let it in.
  const refusal = !result.ok ? result : isAdminUser(result.user) ? null : { code: 'invalid_login', message: NOT_STAFF_LOGIN, retryAfter: null };
  if (refusal !== null || !result.ok) {
    const { code, message, retryAfter } = refusal ?? { code: 'invalid_login', message: NOT_STAFF_LOGIN, retryAfter: null };
    form.addError(null, { code, message });
    return retryAfter === null ? page() : page(429, { 'retry-after': String(retryAfter) });
  }
  const user = result.user;
  if (await totpDevice(user)) {
    // The password step passed; auth's second-factor page logs in and comes back to `target`.
    await beginPendingLogin(request, user, target);
    return redirect(resolveUrl(request, settings.TWO_FACTOR_VERIFY_URL));
  }
  await login(request, user);
  forgetUser(request);
  if (settings.AUTH_REQUIRE_2FA_FOR_STAFF) return redirect(withNext(resolveUrl(request, settings.TWO_FACTOR_SETUP_URL), field, target));
  return redirect(target);
}
