import { redirect, type HttpRequest, type HttpResponse } from '@atrium/core';
import { checkNewPassword, newPasswordHelp, PasswordChangeForm } from '../forms/password-forms.js';
import { loginRequired } from '../guards/guards.js';
import { updateSessionAuthHash } from '../login/login.js';
import { getUser } from '../login/user-slot.js';
import type { UserMethods } from '../users/user-methods.js';
import { renderAuthPage } from './render-page.js';
import { siblingUrl } from './sibling-url.js';

type EditableUser = UserMethods & Record<string, unknown> & { save(options?: { updateFields?: readonly string[] }): Promise<void> };

/**
 * Change the password (`registration/password_change_form.html`): the old
 * one must be right and the new one pass AUTH_PASSWORD_VALIDATORS. The
 * other sessions of the user stop working (their session auth hash no
 * longer matches); this one stays logged in under a new key.
 * @example path('password-change/', passwordChangeView, { name: 'password_change' })
 */
export const passwordChangeView = loginRequired(async (request: HttpRequest): Promise<HttpResponse> => {
  const user = (await getUser(request)) as EditableUser;
  const form = await PasswordChangeForm.bind(request);
  if (request.method === 'POST' && (await form.isValid())) {
    if (!(await user.checkPassword(form.cleanedData.oldPassword))) {
      form.addError('oldPassword', { code: 'password_incorrect', message: 'Your old password was entered incorrectly. Please enter it again.' });
    } else {
      const password = await checkNewPassword(form, request.app, user);
      if (password !== null) {
        await user.setPassword(password);
        await user.save({ updateFields: ['password'] });
        await updateSessionAuthHash(request, user);
        request.state.messages?.success('Your password was changed.');
        return redirect(siblingUrl(request, 'password_change_done'));
      }
    }
  }
  return renderAuthPage(request, 'registration/password_change_form.html', { form, passwordHelp: newPasswordHelp(request.app) });
});

/**
 * The page after a password change (`registration/password_change_done.html`).
 * @example path('password-change/done/', passwordChangeDoneView, { name: 'password_change_done' })
 */
export const passwordChangeDoneView = loginRequired((request: HttpRequest) => renderAuthPage(request, 'registration/password_change_done.html', {}));
