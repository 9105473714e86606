import { redirect, type HttpRequest, type HttpResponse } from '@atrium/core';
import { PasswordConfirmForm, TwoFactorCodeForm } from '../forms/two-factor-forms.js';
import { loginRequired, safeNextUrl } from '../guards/guards.js';
import { resolveUrl, withNext } from '../guards/resolve-url.js';
import { authenticationBackends } from '../backends/backend-registry.js';
import { login } from '../login/login.js';
import { getUser } from '../login/user-slot.js';
import { generateTotpSecret, otpauthUri } from '../otp/totp.js';
import { authSettings } from '../settings.js';
import { loginThrottle } from '../throttle/login-throttle.js';
import type { AuthUser } from '../guards/auth-user.js';
import type { UserMethods } from '../users/user-methods.js';
import { disableTotp, enableTotp, totpDevice, verifySecondFactor } from '../two-factor/totp-devices.js';
import { ENROLMENT_SECRET_KEY, PENDING_LOGIN_KEY, TWO_FACTOR_VERIFIED_KEY, markTwoFactorVerified, pendingLogin } from '../two-factor/two-factor-session.js';
import { renderAuthPage, requestedNext, sleep } from './render-page.js';
import { siblingUrl } from './sibling-url.js';

const INVALID_CODE = 'That code is not valid. Check the time on your device, or use a recovery code.';

/**
 * Enrol an authenticator app (`registration/two_factor_setup.html`): shows
 * the otpauth:// URI (for a QR code) and the secret to type in; a code from
 * the app confirms it, after which the ten recovery codes are shown, once
 * (`registration/two_factor_recovery_codes.html`). The secret waits in the
 * session until confirmed, so an abandoned enrolment changes nothing.
 * @example path('two-factor/setup/', twoFactorSetupView, { name: 'two_factor_setup' })
 */
export const twoFactorSetupView = loginRequired(async (request: HttpRequest): Promise<HttpResponse> => {
  const user = (await getUser(request)) as UserMethods;
  const session = request.state.session!;
  const settings = authSettings(request.app);
  let secret = await session.get<string>(ENROLMENT_SECRET_KEY);
  if (typeof secret !== 'string' || !/^[A-Z2-7]{32,128}$/.test(secret)) {
    secret = generateTotpSecret();
    await session.set(ENROLMENT_SECRET_KEY, secret);
  }
  const next = await requestedNext(request);
  const form = await TwoFactorCodeForm.bind(request);
  if (request.method === 'POST' && (await form.isValid())) {
    const codes = await enableTotp(user, secret, form.cleanedData.code);
    if (codes) {
      await session.delete(ENROLMENT_SECRET_KEY);
      await markTwoFactorVerified(request);
      const target = next === null ? null : safeNextUrl(request, '', next) || null;
      return renderAuthPage(request, 'registration/two_factor_recovery_codes.html', { recoveryCodes: codes, next: target ?? '' }, { headers: { 'cache-control': 'no-store' } });
    }
    form.addError('code', { code: 'invalid_code', message: INVALID_CODE });
  }
  const issuer = settings.OTP_ISSUER ?? request.host.replace(/:\d+$/, '');
  return renderAuthPage(
    request,
    'registration/two_factor_setup.html',
    {
      form,
      secret,
      otpauthUri: otpauthUri({ secret, accountName: user.getUsername(), issuer }),
      hasDevice: (await totpDevice(user)) !== null,
      required: settings.AUTH_REQUIRE_2FA_FOR_STAFF && user.isStaff,
      next: next ?? '',
    },
    { headers: { 'cache-control': 'no-store' } },
  );
});

/**
 * The second step (`registration/two_factor_verify.html`): after the
 * password step of a login (the login completes here), or for a logged-in
 * user asked to confirm a second factor (AUTH_REQUIRE_2FA_FOR_STAFF). Takes
 * a TOTP code (each accepted once) or a recovery code (single use), with
 * failures throttled like passwords.
 * @example path('two-factor/verify/', twoFactorVerifyView, { name: 'two_factor_verify' })
 */
export async function twoFactorVerifyView(request: HttpRequest): Promise<HttpResponse> {
  const settings = authSettings(request.app);
  const session = request.state.session!;
  const pending = await pendingLogin(request, settings.OTP_LOGIN_TIMEOUT);
  let user: AuthUser | null = null;
  if (pending) {
    const backend = authenticationBackends(request.app).find((candidate) => candidate.name === pending.backend);
    user = backend ? await backend.getUser(pending.userId) : null;
    if (!user) await session.delete(PENDING_LOGIN_KEY);
  } else {
    const current = await getUser(request);
    if (current.isAuthenticated) {
      if (!(await totpDevice(current))) return redirect(withNext(resolveUrl(request, settings.TWO_FACTOR_SETUP_URL), settings.REDIRECT_FIELD_NAME, (await requestedNext(request)) ?? ''));
      user = current;
    }
  }
  if (!user) {
    request.state.messages?.warning('Your sign-in took too long or was not started. Please sign in again.');
    return redirect(siblingUrl(request, 'login'));
  }

  const next = pending ? pending.next : await requestedNext(request);
  const form = await TwoFactorCodeForm.bind(request);
  const page = (status = 200, headers: Record<string, string> = {}) =>
    renderAuthPage(request, 'registration/two_factor_verify.html', { form, next: pending ? '' : (next ?? '') }, { status, headers });
  if (request.method !== 'POST' || !(await form.isValid())) return page();

  const throttle = loginThrottle(request.app);
  const key = `2fa:${String(user.pk)}`;
  const decision = await throttle.check(key, request.clientAddress);
  if (!decision.allowed) {
    form.addError(null, { code: 'throttled', message: decision.message! });
    return page(429, { 'retry-after': String(decision.retryAfter) });
  }
  if (decision.delayMs > 0) await sleep(decision.delayMs);
  const result = await verifySecondFactor(user, form.cleanedData.code);
  if (!result.ok) {
    const after = await throttle.recordFailure(key, request.clientAddress);
    form.addError('code', { code: 'invalid_code', message: after.allowed ? INVALID_CODE : after.message! });
    return after.allowed ? page() : page(429, { 'retry-after': String(after.retryAfter) });
  }
  await throttle.reset(key);
  if (pending) {
    await session.delete(PENDING_LOGIN_KEY);
    await login(request, user, pending.backend);
  }
  await markTwoFactorVerified(request);
  if (result.method === 'recovery') {
    request.state.messages?.warning(`You used a recovery code; ${result.recoveryCodesLeft} left. Set up your authenticator again or make new codes soon.`);
  }
  const fallback = resolveUrl(request, settings.LOGIN_REDIRECT_URL);
  return redirect(pending ? (pending.next ?? fallback) : safeNextUrl(request, fallback, next));
}

/**
 * Turn two-factor authentication off (`registration/two_factor_disable.html`),
 * confirmed with the current password.
 * @example path('two-factor/disable/', twoFactorDisableView, { name: 'two_factor_disable' })
 */
export const twoFactorDisableView = loginRequired(async (request: HttpRequest): Promise<HttpResponse> => {
  const user = (await getUser(request)) as UserMethods;
  const form = await PasswordConfirmForm.bind(request);
  if (request.method === 'POST' && (await form.isValid())) {
    if (await user.checkPassword(form.cleanedData.password)) {
      await disableTotp(user);
      await request.state.session!.delete(TWO_FACTOR_VERIFIED_KEY);
      request.state.messages?.success('Two-factor authentication is off.');
      return redirect(siblingUrl(request, 'two_factor_setup'));
    }
    form.addError('password', { code: 'password_incorrect', message: 'Your password was entered incorrectly.' });
  }
  return renderAuthPage(request, 'registration/two_factor_disable.html', { form, hasDevice: (await totpDevice(user)) !== null });
});
