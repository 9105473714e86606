import { PermissionDenied } from '@atrium/core';
import type { AnyModel } from '@atrium/orm';
import { defaultAuthenticationBackends } from '../backends/backend-registry.js';
import type { AuthUser } from '../guards/auth-user.js';
import { isPasswordUsable, makeUnusablePassword } from '../passwords/hasher-registry.js';
import { checkPassword, makePassword } from '../passwords/passwords.js';
import { userModelConfig } from './user-model-config.js';

/** What every user object has besides its fields (Django's AbstractBaseUser and PermissionsMixin methods). */
export interface UserMethods extends AuthUser {
  readonly isAuthenticated: true;
  readonly isAnonymous: false;
  /**
   * Active superusers hold every permission; inactive users none; others
   * those any backend grants (their own and their groups', cached on this object).
   */
  hasPerm(perm: string, obj?: unknown): Promise<boolean>;
  hasPerms(perms: Iterable<string>, obj?: unknown): Promise<boolean>;
  hasModulePerms(appLabel: string): Promise<boolean>;
  getAllPermissions(obj?: unknown): Promise<ReadonlySet<string>>;
  /** Hash and set the password (not saved: call save()). `null` makes it unusable. */
  setPassword(password: string | null): Promise<void>;
  /** True when `password` is this user's; upgrades (and saves) a hash made with old parameters. */
  checkPassword(password: string): Promise<boolean>;
  /** No password will match (log-in by other means only); not saved. */
  setUnusablePassword(): void;
  hasUsablePassword(): boolean;
  getUsername(): string;
  /** First and last name with a space between. */
  getFullName(): string;
  getShortName(): string;
}

type Row = Record<string, unknown> & { save(options?: { updateFields?: readonly string[] }): Promise<void> };

/**
 * Put the user methods on the prototype of `model`'s instances. Methods are
 * non-enumerable, so they never show up in toJSON() or Object.keys().
 */
export function installUserMethods(model: AnyModel): void {
  const methods: Record<string, (this: Row & AuthUser, ...args: never[]) => unknown> = {
    async hasPerm(perm: string, obj?: unknown) {
      if (this.isActive && this.isSuperuser) return true;
      return anyBackend((backend) => backend.hasPerm?.(this, perm, obj));
    },
    async hasPerms(perms: Iterable<string>, obj?: unknown) {
      for (const perm of perms) if (!(await (this as unknown as UserMethods).hasPerm(perm, obj))) return false;
      return true;
    },
    async hasModulePerms(appLabel: string) {
      if (this.isActive && this.isSuperuser) return true;
      return anyBackend((backend) => backend.hasModulePerms?.(this, appLabel));
    },
    async getAllPermissions(obj?: unknown) {
      const all = new Set<string>();
      for (const backend of defaultAuthenticationBackends()) {
        for (const perm of (await backend.getAllPermissions?.(this, obj)) ?? []) all.add(perm);
      }
      return all;
    },
    async setPassword(password: string | null) {
      this['password'] = await makePassword(password);
    },
    async checkPassword(password: string) {
      return checkPassword(password, this['password'] as string, {
        setter: async (encoded) => {
          this['password'] = encoded;
          if (this['pk'] !== undefined && this['pk'] !== null) await this.save({ updateFields: ['password'] });
        },
      });
    },
    setUnusablePassword() {
      this['password'] = makeUnusablePassword();
    },
    hasUsablePassword() {
      return isPasswordUsable(this['password'] as string);
    },
    getUsername() {
      return String(this[userModelConfig(model).usernameField] ?? '');
    },
    getFullName() {
      return `${String(this['firstName'] ?? '')} ${String(this['lastName'] ?? '')}`.trim();
    },
    getShortName() {
      return String(this['firstName'] ?? '');
    },
    toString() {
      return (this as unknown as UserMethods).getUsername();
    },
  };
  const descriptors: PropertyDescriptorMap = {
    isAuthenticated: { get: () => true, configurable: true },
    isAnonymous: { get: () => false, configurable: true },
  };
  for (const [name, value] of Object.entries(methods)) descriptors[name] = { value, writable: true, configurable: true };
  Object.defineProperties(model.prototype, descriptors);
}

/**
 * True when any backend says yes; a backend throwing PermissionDenied says
 * no for all of them (Django's rule, so a backend can veto).
 */
async function anyBackend(
  ask: (backend: ReturnType<typeof defaultAuthenticationBackends>[number]) => boolean | Promise<boolean> | undefined,
): Promise<boolean> {
  for (const backend of defaultAuthenticationBackends()) {
    try {
      if (await ask(backend)) return true;
    } catch (error) {
      if (error instanceof PermissionDenied) return false;
      throw error;
    }
  }
  return false;
}
