import { fields, form, PasswordInput, TextInput } from '@atrium/forms';
import { MAX_PASSWORD_LENGTH } from '../errors.js';

/**
 * The login form's fields. Checking the credentials is the login view's job
 * (it throttles, authenticates and logs in), so the form only cleans input.
 * @example const form = await AuthenticationForm.bind(request);
 */
export const AuthenticationForm = form(
  {
    username: fields.char({
      maxLength: 254,
      label: 'Username',
      widget: new TextInput({ attrs: { autofocus: true, autocomplete: 'username', autocapitalize: 'none' } }),
    }),
    password: fields.password({
      maxLength: MAX_PASSWORD_LENGTH,
      label: 'Password',
      widget: new PasswordInput({ attrs: { autocomplete: 'current-password' } }),
    }),
  },
  { name: 'AuthenticationForm' },
);
