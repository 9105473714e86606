import { redirect, type HttpRequest, type HttpResponse } from '@atrium/core';
import { SetPasswordForm, checkNewPassword, createUser, passwordHelpTexts, passwordValidators, userModelConfig, updateSessionAuthHash, type AuthUser } from '@atrium/auth';
import { fields, form, TextInput } from '@atrium/forms';
import type { AnyModel, Instance } from '@atrium/orm';
import type { AdminSite } from '../admin-site.js';
import { ADDITION, CHANGE, logAction } from '../log-entry.js';
import type { ModelAdmin } from '../model-admin.js';
import { userOf } from '../user-of.js';
import { renderAdmin } from '../views/admin-page.js';

type Row = Record<string, unknown>;
type UserRow = Row & { setPassword(password: string): Promise<void>; save(options?: { updateFields?: readonly string[] }): Promise<void> };

/** The add-user form: a username, and a new password typed twice (checked by checkNewPassword). */
function userCreationForm(model: AnyModel) {
  const field = model.meta.fieldMap.get(userModelConfig(model).usernameField);
  const maxLength = (field?.options as { maxLength?: number } | undefined)?.maxLength ?? 150;
  return form(
    {
      username: fields.char({ maxLength, label: field?.verboseName ?? 'username', widget: new TextInput({ attrs: { autocomplete: 'off', autocapitalize: 'none', autofocus: true } }) }),
      newPassword1: SetPasswordForm.declaredFields['newPassword1']!,
      newPassword2: SetPasswordForm.declaredFields['newPassword2']!,
    },
    { name: 'UserCreationForm' },
  );
}

function flashSuccess(request: HttpRequest, text: string): void {
  (request.state as { messages?: { success(t: string): unknown } }).messages?.success(text);
}

/**
 * The User admin's add page: a username and a password typed twice. The
 * password goes through AUTH_PASSWORD_VALIDATORS and is stored hashed with
 * the first PASSWORD_HASHERS entry (argon2id by default); the other fields
 * are edited on the change page it leads to.
 */
export async function addUserView(site: AdminSite, admin: ModelAdmin, request: HttpRequest): Promise<HttpResponse> {
  const model = admin.model;
  const usernameField = userModelConfig(model).usernameField;
  const Form = userCreationForm(model);
  const bound = request.method === 'POST' ? await Form.bind(request) : new Form();
  if (request.method === 'POST' && (await bound.isValid())) {
    const username = bound.cleanedData.username;
    const taken = await (model.objects as unknown as { filter(w: Row): { exists(): Promise<boolean> } }).filter({ [usernameField]: username }).exists();
    if (taken) bound.addError('username', { code: 'unique', message: `A user with that ${usernameField} already exists.` });
    const password = taken ? null : await checkNewPassword(bound, request.app, { [usernameField]: username });
    if (password !== null) {
      const user = (await createUser({ [usernameField]: username, password } as never, { model })) as unknown as Row;
      const pk = user[model.meta.pk.name];
      await logAction({ userId: userOf(request).pk, model, objectId: pk, repr: site.strOf(model, user), flag: ADDITION, message: 'Added.' });
      flashSuccess(request, `The ${model.meta.verboseName} “${username}” was added successfully. You may edit it again below.`);
      return redirect(site.url(request, 'change', admin, pk));
    }
  }
  return renderAdmin(site, request, 'add_user_form.html', admin, {
    title: `Add ${model.meta.verboseName}`,
    form: bound,
    // A valid POST redirects: a bound form here has errors.
    has_errors: bound.isBound,
    password_help: passwordHelpTexts(passwordValidators(request.app)),
  });
}

/**
 * The User admin's password page (needs the change permission): an admin
 * sets a new password, typed twice, checked by the validators and hashed;
 * the user's other sessions end (their session hash no longer matches),
 * except the admin's own when changing their own password.
 */
export async function changePasswordView(site: AdminSite, admin: ModelAdmin, request: HttpRequest, obj: Instance<AnyModel>): Promise<HttpResponse> {
  const user = obj as unknown as UserRow;
  const bound = request.method === 'POST' ? await SetPasswordForm.bind(request) : new SetPasswordForm();
  const text = site.strOf(admin.model, user);
  if (request.method === 'POST' && (await bound.isValid())) {
    const password = await checkNewPassword(bound, request.app, user);
    if (password !== null) {
      await user.setPassword(password);
      await user.save({ updateFields: ['password'] });
      const pk = user[admin.model.meta.pk.name];
      if (String(userOf(request).pk) === String(pk)) await updateSessionAuthHash(request, user as unknown as AuthUser);
      await logAction({ userId: userOf(request).pk, model: admin.model, objectId: pk, repr: text, flag: CHANGE, message: 'Changed password.' });
      flashSuccess(request, 'Password changed successfully.');
      return redirect(site.url(request, 'change', admin, pk));
    }
  }
  return renderAdmin(site, request, 'change_password_form.html', admin, {
    title: `Change password: ${text}`,
    object_text: text,
    form: bound,
    // A valid POST redirects: a bound form here has errors.
    has_errors: bound.isBound,
    password_help: passwordHelpTexts(passwordValidators(request.app)),
    change_url: site.url(request, 'change', admin, user[admin.model.meta.pk.name]),
  });
}
