import type { AppContext } from '@atrium/core';
import { EmailInput, fields, form, PasswordInput, type Form } from '@atrium/forms';
import { MAX_PASSWORD_LENGTH } from '../errors.js';
import { passwordIssues, passwordValidators, passwordHelpTexts } from '../passwords/validators/validate-password.js';
import type { PasswordUser } from '../passwords/validators/password-validator.js';

const newPassword = () =>
  fields.password({ maxLength: MAX_PASSWORD_LENGTH, label: 'New password', widget: new PasswordInput({ attrs: { autocomplete: 'new-password' } }) });
const confirmation = () =>
  fields.password({ maxLength: MAX_PASSWORD_LENGTH, label: 'New password confirmation', widget: new PasswordInput({ attrs: { autocomplete: 'new-password' } }) });

/**
 * Set a new password without the old one (the password reset confirm step).
 * Check it with checkNewPassword() after isValid().
 * @example const form = await SetPasswordForm.bind(request);
 */
export const SetPasswordForm = form({ newPassword1: newPassword(), newPassword2: confirmation() }, { name: 'SetPasswordForm' });

/**
 * Change a password, proving the old one first.
 * @example const form = await PasswordChangeForm.bind(request);
 */
export const PasswordChangeForm = form(
  {
    oldPassword: fields.password({ maxLength: MAX_PASSWORD_LENGTH, label: 'Old password', widget: new PasswordInput({ attrs: { autocomplete: 'current-password', autofocus: true } }) }),
    newPassword1: newPassword(),
    newPassword2: confirmation(),
  },
  { name: 'PasswordChangeForm' },
);

/**
 * Ask for a reset link by e-mail.
 * @example const form = await PasswordResetForm.bind(request);
 */
export const PasswordResetForm = form(
  { email: fields.email({ maxLength: 254, label: 'Email', widget: new EmailInput({ attrs: { autocomplete: 'email' } }) }) },
  { name: 'PasswordResetForm' },
);

/**
 * After isValid(): the two new passwords must match and pass
 * AUTH_PASSWORD_VALIDATORS (with the user's attributes, for the similarity
 * check); problems become errors on `newPassword2`. Returns the new password
 * when it is acceptable.
 * @example if ((await form.isValid()) && (await checkNewPassword(form, request.app, user)) !== null) ...
 */
export async function checkNewPassword(target: Form, app: AppContext, user?: PasswordUser): Promise<string | null> {
  const data = target.cleanedData as { newPassword1: string; newPassword2: string };
  if (data.newPassword1 !== data.newPassword2) {
    target.addError('newPassword2', { code: 'password_mismatch', message: 'The two password fields didn’t match.' });
    return null;
  }
  const issues = await passwordIssues(data.newPassword1, passwordValidators(app), user);
  for (const issue of issues) target.addError('newPassword2', { code: issue.code, message: issue.message });
  return issues.length === 0 ? data.newPassword1 : null;
}

/**
 * The validators' help texts, for the new-password field of a template.
 * @example render(request, 'registration/password_change_form.html', { form, passwordHelp: newPasswordHelp(request.app) })
 */
export function newPasswordHelp(app: AppContext): string[] {
  return passwordHelpTexts(passwordValidators(app));
}
