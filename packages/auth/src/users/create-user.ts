import { AtriumError } from '@atrium/core';
import type { AnyModel } from '@atrium/orm';
import { makePassword } from '../passwords/passwords.js';
import { getUserModel } from './user-model.js';
import { userModelConfig } from './user-model-config.js';
import type { ConfiguredUserModel, UserOf } from './user-model-types.js';

/** What createUser takes: the username field, optionally a password, and any other field of the user model. */
export interface CreateUserData {
  username?: string;
  email?: string;
  /** The password in clear; hashed with makePassword. Omitted or null: an unusable password. */
  password?: string | null;
  [field: string]: unknown;
}


/**
 * Create and save a user of the user model (AUTH_USER_MODEL): the username
 * NFKC-normalised (so look-alike Unicode forms are one name), the e-mail
 * domain lower-cased, the password hashed. Validators are not run: forms and
 * createsuperuser do that first.
 * @example const ada = await createUser({ username: 'ada', email: 'ada@example.com', password: 'correct horse battery staple' });
 */
export async function createUser(data: CreateUserData, options: { model?: AnyModel; using?: string } = {}): Promise<UserOf<ConfiguredUserModel>> {
  const model: AnyModel = options.model ?? getUserModel();
  const config = userModelConfig(model);
  const { password, ...rest } = data;
  const values: Record<string, unknown> = { ...rest };
  if (config.usernameField !== 'username' && values['username'] !== undefined && !model.meta.fieldMap.has('username')) {
    values[config.usernameField] ??= values['username'];
    delete values['username'];
  }
  const username = values[config.usernameField];
  if (typeof username !== 'string' || username.trim() === '') {
    throw new AtriumError('E_USERNAME_REQUIRED', `createUser() needs a non-empty '${config.usernameField}' (the username field of ${model.name}).`);
  }
  values[config.usernameField] = config.usernameField === config.emailField ? normalizeEmail(username) : normalizeUsername(username);
  if (typeof values[config.emailField] === 'string') values[config.emailField] = normalizeEmail(values[config.emailField] as string);
  values['password'] = await makePassword(password ?? null);
  const manager = options.using ? model.objects.using(options.using) : model.objects;
  return (await manager.create(values as never)) as unknown as UserOf<ConfiguredUserModel>;
}

/**
 * Create a user with isStaff and isSuperuser set (every permission, admin access).
 * @example await createSuperuser({ username: 'admin', email: 'admin@example.com', password: process.env.ADMIN_PASSWORD });
 */
export async function createSuperuser(data: CreateUserData, options: { model?: AnyModel; using?: string } = {}): Promise<UserOf<ConfiguredUserModel>> {
  for (const flag of ['isStaff', 'isSuperuser'] as const) {
    if (data[flag] === false) throw new AtriumError('E_SUPERUSER_FLAGS', `A superuser must have ${flag} true; leave it out of createSuperuser().`);
  }
  return createUser({ ...data, isStaff: true, isSuperuser: true }, options);
}

/**
 * NFKC form of a username, as Django's AbstractBaseUser.normalize_username:
 * 'ｅｘａｍｐｌｅ' (full-width) and 'example' become one name.
 * @example normalizeUsername('Ａｄａ') // 'Ada'
 */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC');
}

/**
 * The address with its domain in lower case (the local part may be case-sensitive).
 * @example normalizeEmail('Ada@EXAMPLE.com') // 'Ada@example.com'
 */
export function normalizeEmail(email: string): string {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  if (at === -1) return trimmed;
  return `${trimmed.slice(0, at)}@${trimmed.slice(at + 1).toLowerCase()}`;
}
