import { redirect, type HttpRequest, type HttpResponse } from '@atrium/core';
import { renderToString } from '@atrium/templates';
import { sendMail } from '../email/send-mail.js';
import { checkNewPassword, newPasswordHelp, PasswordResetForm, SetPasswordForm } from '../forms/password-forms.js';
import { isPasswordUsable } from '../passwords/hasher-registry.js';
import { decodeUid, encodeUid, PasswordResetTokenGenerator } from '../tokens/password-reset-token.js';
import { parsePk } from '../users/parse-pk.js';
import type { UserMethods } from '../users/user-methods.js';
import { getUserModel } from '../users/user-model.js';
import { userModelConfig } from '../users/user-model-config.js';
import { renderAuthPage } from './render-page.js';
import { siblingUrl } from './sibling-url.js';

type ResettableUser = UserMethods & Record<string, unknown> & { save(options?: { updateFields?: readonly string[] }): Promise<void> };

/** The token moves from the URL into the session, so it does not leak through the Referer of the set-password page (Django's design). */
const RESET_SESSION_TOKEN = '_password_reset_token';
const RESET_URL_TOKEN = 'set-password';

/** Clock for reset tokens; tests replace it to move time forward. */
let clock: () => number = Date.now;

/**
 * Replace the clock the reset views use for tokens (tests); returns a function restoring it.
 * @example const restore = setPasswordResetClock(() => fake); ...; restore();
 */
export function setPasswordResetClock(now: () => number): () => void {
  const previous = clock;
  clock = now;
  return () => void (clock = previous);
}

function tokens(request: HttpRequest): PasswordResetTokenGenerator {
  return PasswordResetTokenGenerator.forApp(request.app, { now: clock });
}

/**
 * Ask for a reset link (`registration/password_reset_form.html`). Every
 * active account with that e-mail (case-insensitive) and a usable password
 * gets a link (`registration/password_reset_email.txt`); the answer is the
 * same "check your e-mail" page whether or not any account matched, so the
 * form cannot be used to find accounts.
 * @example path('password-reset/', passwordResetView, { name: 'password_reset' })
 */
export async function passwordResetView(request: HttpRequest): Promise<HttpResponse> {
  const form = await PasswordResetForm.bind(request);
  if (request.method === 'POST' && (await form.isValid())) {
    const model = getUserModel();
    const { emailField } = userModelConfig(model);
    const users = (await model.objects.filter({ [emailField]: { iexact: form.cleanedData.email }, isActive: true } as never)) as unknown as ResettableUser[];
    const generator = tokens(request);
    for (const user of users) {
      if (!isPasswordUsable(user['password'] as string)) continue;
      const email = String(user[emailField] ?? '');
      if (email.toLowerCase() !== form.cleanedData.email.toLowerCase()) continue;
      const link = request.buildAbsoluteUri(siblingUrl(request, 'password_reset_confirm', { uidb64: encodeUid(user.pk), token: generator.makeToken(user) }));
      const context = { user, username: user.getUsername(), resetUrl: link, siteName: request.host, email };
      const subject = (await renderToString(request, 'registration/password_reset_subject.txt', context)).replace(/\s+/g, ' ').trim();
      const body = await renderToString(request, 'registration/password_reset_email.txt', context);
      await sendMail(request.app, { subject, body, to: [email] });
    }
    return redirect(siblingUrl(request, 'password_reset_done'));
  }
  return renderAuthPage(request, 'registration/password_reset_form.html', { form });
}

/**
 * "Check your e-mail" (`registration/password_reset_done.html`).
 * @example path('password-reset/done/', passwordResetDoneView, { name: 'password_reset_done' })
 */
export function passwordResetDoneView(request: HttpRequest): Promise<HttpResponse> {
  return renderAuthPage(request, 'registration/password_reset_done.html', {});
}

/**
 * The link from the e-mail. A valid token is moved into the session and the
 * browser redirected to `.../set-password/`; there the new password is set
 * (with the validators), which also makes the token useless. Expired, used
 * or altered links show `registration/password_reset_confirm.html` with
 * `validlink` false.
 * @example path('reset/<str:uidb64>/<str:token>/', passwordResetConfirmView, { name: 'password_reset_confirm' })
 */
export async function passwordResetConfirmView(request: HttpRequest, params: { uidb64: string; token: string }): Promise<HttpResponse> {
  const session = request.state.session!;
  const user = await userFromUid(params.uidb64);
  const generator = tokens(request);
  if (user && params.token !== RESET_URL_TOKEN && generator.checkToken(user, params.token)) {
    await session.set(RESET_SESSION_TOKEN, params.token);
    return redirect(siblingUrl(request, 'password_reset_confirm', { uidb64: params.uidb64, token: RESET_URL_TOKEN }));
  }
  const stored = params.token === RESET_URL_TOKEN ? await session.get(RESET_SESSION_TOKEN) : undefined;
  if (!user || !generator.checkToken(user, stored)) {
    return renderAuthPage(request, 'registration/password_reset_confirm.html', { validlink: false, form: null });
  }
  const form = await SetPasswordForm.bind(request);
  if (request.method === 'POST' && (await form.isValid())) {
    const password = await checkNewPassword(form, request.app, user);
    if (password !== null) {
      await user.setPassword(password);
      await user.save({ updateFields: ['password'] });
      await session.delete(RESET_SESSION_TOKEN);
      return redirect(siblingUrl(request, 'password_reset_complete'));
    }
  }
  return renderAuthPage(request, 'registration/password_reset_confirm.html', { validlink: true, form, passwordHelp: newPasswordHelp(request.app) });
}

/**
 * "Your password has been set" (`registration/password_reset_complete.html`).
 * @example path('reset/done/', passwordResetCompleteView, { name: 'password_reset_complete' })
 */
export function passwordResetCompleteView(request: HttpRequest): Promise<HttpResponse> {
  return renderAuthPage(request, 'registration/password_reset_complete.html', {});
}

async function userFromUid(uidb64: string): Promise<ResettableUser | null> {
  const id = decodeUid(uidb64);
  if (id === null) return null;
  const model = getUserModel();
  const pk = parsePk(model, id);
  if (pk === null) return null;
  return (await model.objects.filter({ pk } as never).first()) as unknown as ResettableUser | null;
}
