import type { HttpRequest } from '@atrium/core';
import type { AnyModel } from '@atrium/orm';
import type { AuthUser } from '../guards/auth-user.js';
import { dummyVerify, checkPassword } from '../passwords/passwords.js';
import { permissionCache } from '../permissions/permission-cache.js';
import { Permission, permissionName } from '../permissions/permission.js';
import { getUserModel } from '../users/user-model.js';
import { userModelConfig } from '../users/user-model-config.js';
import { parsePk } from '../users/parse-pk.js';
import type { AuthenticationBackend, Credentials } from './authentication-backend.js';

type UserRow = AuthUser & Record<string, unknown> & { save(options?: { updateFields?: readonly string[] }): Promise<void> };

/**
 * Django's ModelBackend: logs in with the user model's username field and
 * password, and answers permissions from the user's own and their groups'
 * Permission rows. Inactive users cannot log in and hold no permissions.
 * Unknown usernames cost one password verification too (`dummyVerify`), so
 * timing does not tell whether an account exists. Object-level questions
 * (`hasPerm(perm, obj)`) get no from this backend, as in Django: add a
 * backend of your own for those.
 * @example registerAuthenticationBackend('model', () => new ModelBackend());
 */
export class ModelBackend implements AuthenticationBackend {
  readonly name: string = 'model';
  readonly #model: () => AnyModel;

  /** `userModel` defaults to getUserModel() (AUTH_USER_MODEL), looked up on each call. */
  constructor(options: { userModel?: () => AnyModel } = {}) {
    this.#model = options.userModel ?? getUserModel;
  }

  async authenticate(_request: HttpRequest | null, credentials: Credentials): Promise<AuthUser | null> {
    const model = this.#model();
    const field = userModelConfig(model).usernameField;
    const username = credentials[field] ?? credentials['username'];
    const password = credentials['password'];
    // Not a login attempt for this backend (Django returns before hashing too).
    if (typeof username !== 'string' || typeof password !== 'string') return null;
    const user = (await model.objects.filter({ [field]: username } as never).first()) as UserRow | null;
    if (!user) {
      await dummyVerify(password);
      return null;
    }
    const ok = await checkPassword(password, user['password'] as string, {
      // A hash made with weaker parameters is replaced now, while the password is at hand.
      setter: async (encoded) => {
        user['password'] = encoded;
        await user.save({ updateFields: ['password'] });
      },
    });
    return ok && this.userCanAuthenticate(user) ? user : null;
  }

  async getUser(id: string): Promise<AuthUser | null> {
    const model = this.#model();
    const pk = parsePk(model, id);
    if (pk === null) return null;
    const user = (await model.objects.filter({ pk } as never).first()) as UserRow | null;
    return user && this.userCanAuthenticate(user) ? user : null;
  }

  /** Inactive users are refused (Django's `user_can_authenticate`). */
  userCanAuthenticate(user: AuthUser): boolean {
    return user.isActive !== false;
  }

  /** Permissions given to the user directly. */
  getUserPermissions(user: AuthUser, obj?: unknown): Promise<ReadonlySet<string>> {
    if (!user.isActive || user.isAnonymous || obj !== undefined) return Promise.resolve(new Set());
    const cache = permissionCache(user);
    cache.user ??= this.#permissions(user, (relatedName, pkName) => ({ [relatedName]: { [pkName]: user.pk } }));
    return cache.user;
  }

  /** Permissions the user holds through their groups. */
  getGroupPermissions(user: AuthUser, obj?: unknown): Promise<ReadonlySet<string>> {
    if (!user.isActive || user.isAnonymous || obj !== undefined) return Promise.resolve(new Set());
    const cache = permissionCache(user);
    cache.group ??= this.#permissions(user, (relatedName, pkName) => ({ groups: { [relatedName]: { [pkName]: user.pk } } }));
    return cache.group;
  }

  async getAllPermissions(user: AuthUser, obj?: unknown): Promise<ReadonlySet<string>> {
    if (!user.isActive || user.isAnonymous || obj !== undefined) return new Set();
    const cache = permissionCache(user);
    cache.all ??= (async () => {
      if (user.isSuperuser) return new Set((await Permission.objects.all()).map(permissionName));
      const [own, fromGroups] = await Promise.all([this.getUserPermissions(user), this.getGroupPermissions(user)]);
      return new Set([...own, ...fromGroups]);
    })();
    return cache.all;
  }

  async hasPerm(user: AuthUser, perm: string, obj?: unknown): Promise<boolean> {
    return user.isActive && (await this.getAllPermissions(user, obj)).has(perm);
  }

  async hasModulePerms(user: AuthUser, appLabel: string): Promise<boolean> {
    if (!user.isActive) return false;
    for (const perm of await this.getAllPermissions(user)) if (perm.startsWith(`${appLabel}.`)) return true;
    return false;
  }

  async #permissions(user: AuthUser, where: (relatedName: string, pkName: string) => Record<string, unknown>): Promise<ReadonlySet<string>> {
    const model = this.#model();
    const { relatedName } = userModelConfig(model);
    const rows = await Permission.objects.filter(where(relatedName, model.meta.pk.name) as never).valuesList('appLabel', 'codename');
    return new Set(rows.map(([appLabel, codename]) => `${appLabel}.${codename}`));
  }
}
