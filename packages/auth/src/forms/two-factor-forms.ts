import { fields, form, PasswordInput, TextInput } from '@atrium/forms';
import { MAX_PASSWORD_LENGTH } from '../errors.js';

/**
 * A code from the authenticator app, or a recovery code.
 * @example const form = await TwoFactorCodeForm.bind(request);
 */
export const TwoFactorCodeForm = form(
  {
    code: fields.char({
      maxLength: 64,
      label: 'Code',
      helpText: 'The 6-digit code from your authenticator app, or one of your recovery codes.',
      widget: new TextInput({ attrs: { autocomplete: 'one-time-code', inputmode: 'text', autofocus: true, autocapitalize: 'none' } }),
    }),
  },
  { name: 'TwoFactorCodeForm' },
);

/**
 * The current password, to confirm a sensitive change (turning off 2FA).
 * @example const form = await PasswordConfirmForm.bind(request);
 */
export const PasswordConfirmForm = form(
  { password: fields.password({ maxLength: MAX_PASSWORD_LENGTH, label: 'Password', widget: new PasswordInput({ attrs: { autocomplete: 'current-password' } }) }) },
  { name: 'PasswordConfirmForm' },
);
