import { ImproperlyConfigured } from '@atrium/core';
import { model, type AnyField, type AutoField, type Fields, type Model, type ModelOptions } from '@atrium/orm';
import { userFields, type UserFields } from './user-fields.js';
import { installUserMethods } from './user-methods.js';
import { setUserModelConfig } from './user-model-config.js';

export interface UserModelOptions<F extends Fields, R extends string = string> extends ModelOptions<F> {
  /** The field people log in with (default 'username'); it must be unique. */
  usernameField?: string;
  /** The e-mail field (default 'email'). */
  emailField?: string;
  /** Fields createsuperuser asks for besides the username field and the password (default ['email']). */
  requiredFields?: readonly string[];
  /**
   * Reverse accessor on Group and Permission (`group.users`); default the
   * model name in lower case plus 's' ('members'), or '<app>Users' for a
   * custom model named User, so it never clashes with auth.User's 'users'.
   */
  relatedName?: R;
}

/** Extra fields of a user model; `null` removes a standard field (`username: null` for e-mail logins). */
export type UserFieldChanges = Readonly<Record<string, AnyField | null>>;

/** The fields of `E` that are not removed. */
type Present<E extends UserFieldChanges> = { [K in keyof E as E[K] extends null ? never : K]: Exclude<E[K], null> };

/** The fields of a user model: the standard ones, replaced, removed or extended by `extra`. */
export type UserModelFields<E extends UserFieldChanges, R extends string = 'users'> = Omit<UserFields<R>, keyof E> & Present<E>;

/** The fields with the implicit `id` primary key added, unless one is declared (the ORM's rule). */
export type WithImplicitPk<F extends Fields> = true extends { [K in keyof F]: F[K] extends { '~pk': true } ? true : false }[keyof F]
  ? F
  : { id: AutoField & { readonly '~pk': true } } & F;

/** The default reverse accessor name of a user model, as a literal type (see UserModelOptions.relatedName). */
export type DefaultUserRelatedName<Name extends string> = Name extends 'auth.User'
  ? 'users'
  : Name extends `${infer App}.User`
    ? `${App}Users`
    : Name extends `${string}.${infer Model}`
      ? `${Uncapitalize<Model>}s`
      : string;

/**
 * Declare a user model: the standard user fields (username, email,
 * password hash, names, isActive, isStaff, isSuperuser, lastLogin,
 * dateJoined, groups, userPermissions) plus `extra` fields, which may also
 * replace standard ones (`email: f.email({ unique: true })`) or remove them
 * (`username: null`, for e-mail logins), with the user
 * methods (hasPerm, setPassword, ...). Name it in AUTH_USER_MODEL before the
 * first migration; see docs/auth.md. The result is typed as a plain model
 * (TypeScript cannot carry the user-typed manager through this generic
 * signature); cast it with `as UserModel<typeof declared>` as shown.
 * @example
 * const declared = defineUserModel('accounts.Member', {
 *   username: null,
 *   email: f.email({ maxLength: 254, unique: true }),
 *   bio: f.text({ default: '' }),
 * }, { usernameField: 'email', requiredFields: [] });
 * // Typed so the manager returns users (see UserModel); settings.ts: AUTH_USER_MODEL: 'accounts.Member'
 * export const Member = declared as UserModel<typeof declared>;
 */
export function defineUserModel<const Name extends `${string}.${string}`, const E extends UserFieldChanges = {}, const R extends string = DefaultUserRelatedName<Name>>(
  name: Name,
  extra: E = {} as E,
  options: UserModelOptions<UserModelFields<E, R>, R> = {},
): Model<Name, WithImplicitPk<UserModelFields<E, R>>> {
  const [appLabel = '', modelName = ''] = name.split('.');
  const { usernameField = 'username', emailField = 'email', requiredFields = ['email'], relatedName, ...modelOptions } = options;
  const label: string = name;
  const reverseName = (relatedName ??
    (label === 'auth.User' ? 'users' : modelName === 'User' ? `${appLabel}Users` : `${modelName.charAt(0).toLowerCase()}${modelName.slice(1)}s`)) as R;
  const fields: Record<string, AnyField> = { ...userFields(reverseName) };
  for (const [fieldName, field] of Object.entries(extra)) {
    if (field === null) delete fields[fieldName];
    else fields[fieldName] = field;
  }
  const username = fields[usernameField];
  if (!username || !username.isUnique) {
    throw new ImproperlyConfigured(
      `${name}: usernameField '${usernameField}' must be a unique field of the model (people log in with it); declare it, e.g. ${usernameField}: f.email({ maxLength: 254, unique: true }).`,
    );
  }
  // The methods are installed on the prototype below, so the instances the manager returns are users.
  const declared = model(name, fields as unknown as UserModelFields<E, R>, modelOptions as ModelOptions<UserModelFields<E, R>>) as unknown as Model<
    Name,
    WithImplicitPk<UserModelFields<E, R>>
  >;
  installUserMethods(declared);
  setUserModelConfig(declared, { usernameField, emailField, requiredFields, relatedName: reverseName });
  return declared;
}

/** Any model declared with defineUserModel (for generic code). */
export type AnyUserModel = Model<string, Fields>;
