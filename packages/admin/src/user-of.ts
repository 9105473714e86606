import type { HttpRequest } from '@atrium/core';
import type { AuthUser } from '@atrium/auth';

/** Nobody logged in: what the admin sees when no authentication middleware ran. */
const NOBODY: AuthUser = Object.freeze({
  isAuthenticated: false,
  isAnonymous: true,
  isActive: false,
  isStaff: false,
  isSuperuser: false,
  pk: null,
  hasPerm: () => false,
  hasPerms: () => false,
  hasModulePerms: () => false,
  getAllPermissions: () => new Set<string>(),
  getUsername: () => '',
});

/** The request's user as any authentication middleware set it (request.state.user), else nobody. */
export function userOf(request: HttpRequest): AuthUser {
  return (request.state as { user?: AuthUser }).user ?? NOBODY;
}

/** Only active staff members use the admin. */
export function isAdminUser(user: AuthUser): boolean {
  return user.isAuthenticated && user.isActive && user.isStaff;
}
