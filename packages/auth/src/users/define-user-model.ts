import { model, type Fields, type Instance, type Model, type ModelOptions } from '@atrium/orm';
import { userFields, type UserFields } from './user-fields.js';
import { installUserMethods, type UserMethods } from './user-methods.js';
import { setUserModelConfig } from './user-model-config.js';

export interface UserModelOptions<F extends Fields> extends ModelOptions<F> {
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
  relatedName?: string;
}

/** The fields of a user model: the standard ones, replaced or extended by `extra`. */
export type UserModelFields<E extends Fields> = Omit<UserFields, keyof E> & E;

/** A user model's instance: its row values and methods, plus the user methods. */
export type UserOf<M> = Instance<M> & UserMethods;

/**
 * Declare a user model: the standard user fields (username, email,
 * password hash, names, isActive, isStaff, isSuperuser, lastLogin,
 * dateJoined, groups, userPermissions) plus `extra` fields, which may also
 * replace standard ones (`email: f.email({ unique: true })`), with the user
 * methods (hasPerm, setPassword, ...). Name it in AUTH_USER_MODEL before the
 * first migration; see docs/auth.md.
 * @example
 * export const Member = defineUserModel('accounts.Member', {
 *   email: f.email({ maxLength: 254, unique: true }),
 *   bio: f.text({ default: '' }),
 * }, { usernameField: 'email', requiredFields: [] });
 * // settings.ts: AUTH_USER_MODEL: 'accounts.Member'
 */
export function defineUserModel<const Name extends `${string}.${string}`, const E extends Fields = {}>(
  name: Name,
  extra: E = {} as E,
  options: UserModelOptions<UserModelFields<E>> = {},
) {
  const [appLabel = '', modelName = ''] = name.split('.');
  const { usernameField = 'username', emailField = 'email', requiredFields = ['email'], relatedName, ...modelOptions } = options;
  const reverseName = relatedName ?? (name === 'auth.User' ? 'users' : modelName === 'User' ? `${appLabel}Users` : `${modelName.charAt(0).toLowerCase()}${modelName.slice(1)}s`);
  const fields = { ...userFields(reverseName), ...extra } as unknown as UserModelFields<E>;
  const declared = model(name, fields, modelOptions as ModelOptions<UserModelFields<E>>);
  installUserMethods(declared);
  setUserModelConfig(declared, { usernameField, emailField, requiredFields, relatedName: reverseName });
  return declared;
}

/** Any model declared with defineUserModel (for generic code). */
export type AnyUserModel = Model<string, Fields>;
