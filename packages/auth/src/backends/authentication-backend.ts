import type { HttpRequest } from '@atrium/core';
import type { AuthUser } from '../guards/auth-user.js';

/** What a login form submits: `{ username, password }` for the model backend; other backends read other keys. */
export type Credentials = Readonly<Record<string, unknown>>;

/**
 * One way to authenticate users and answer permission questions
 * (AUTHENTICATION_BACKENDS). `authenticate` returns the user or null when the
 * credentials are not for it (or wrong); throwing PermissionDenied stops the
 * other backends from being tried. The permission methods are optional: a
 * backend that only logs people in leaves them out, and an object-level
 * backend answers `hasPerm(user, perm, obj)` for objects only.
 * @example
 * const ownerBackend: AuthenticationBackend = {
 *   name: 'owner',
 *   authenticate: async () => null,
 *   getUser: async () => null,
 *   hasPerm: (user, perm, obj) => perm === 'blog.change_post' && (obj as { authorId?: unknown })?.authorId === user.pk,
 * };
 */
export interface AuthenticationBackend {
  /** Stored in the session at login, so the user is loaded by the same backend. */
  readonly name: string;
  authenticate(request: HttpRequest | null, credentials: Credentials): Promise<AuthUser | null>;
  /** The user with this primary key (as the session stored it), or null. */
  getUser(id: string): Promise<AuthUser | null>;
  hasPerm?(user: AuthUser, perm: string, obj?: unknown): boolean | Promise<boolean>;
  hasModulePerms?(user: AuthUser, appLabel: string): boolean | Promise<boolean>;
  getAllPermissions?(user: AuthUser, obj?: unknown): ReadonlySet<string> | Promise<ReadonlySet<string>>;
}
