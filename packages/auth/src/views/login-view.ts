import { redirect, type HttpRequest, type HttpResponse } from '@atrium/core';
import { AuthenticationForm } from '../forms/authentication-form.js';
import { safeNextUrl } from '../guards/guards.js';
import { resolveUrl, withNext } from '../guards/resolve-url.js';
import { authenticateThrottled } from '../login/throttled-authenticate.js';
import { login } from '../login/login.js';
import { authSettings } from '../settings.js';
import { beginPendingLogin } from '../two-factor/two-factor-session.js';
import { totpDevice } from '../two-factor/totp-devices.js';
import { renderAuthPage, requestedNext } from './render-page.js';
import { siblingUrl } from './sibling-url.js';

export { INVALID_LOGIN } from '../login/throttled-authenticate.js';

/**
 * The login page (`registration/login.html`). POST: the throttle is asked
 * first (locked: 429 with Retry-After, whether or not the account exists;
 * slowed: the attempt waits), then authenticate(); a failure is counted,
 * a success resets the count. Users with an authenticator go on to the
 * second-factor page; others are logged in and sent to `?next=` when it is
 * safe (isSafeRedirect), else LOGIN_REDIRECT_URL.
 * @example path('login/', loginView, { name: 'login' })
 */
export async function loginView(request: HttpRequest): Promise<HttpResponse> {
  const settings = authSettings(request.app);
  const next = await requestedNext(request);
  const form = await AuthenticationForm.bind(request);
  const page = (status = 200, headers: Record<string, string> = {}) => renderAuthPage(request, 'registration/login.html', { form, next: next ?? '' }, { status, headers });
  if (request.method !== 'POST' || !(await form.isValid())) return page();

  const { username, password } = form.cleanedData;
  const result = await authenticateThrottled(request, username, password);
  if (!result.ok) {
    form.addError(null, { code: result.code, message: result.message });
    return result.retryAfter === null ? page() : page(429, { 'retry-after': String(result.retryAfter) });
  }
  const user = result.user;

  const target = safeNextUrl(request, resolveUrl(request, settings.LOGIN_REDIRECT_URL), next);
  if (await totpDevice(user)) {
    // The password step passed; the login happens only after the second factor.
    await beginPendingLogin(request, user, target);
    return redirect(siblingUrl(request, 'two_factor_verify'));
  }
  await login(request, user);
  // Staff must enrol before staff pages let them in; send them there straight away.
  if (settings.AUTH_REQUIRE_2FA_FOR_STAFF && user.isStaff) {
    return redirect(withNext(resolveUrl(request, settings.TWO_FACTOR_SETUP_URL), settings.REDIRECT_FIELD_NAME, target));
  }
  return redirect(target);
}
