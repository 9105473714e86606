import type { HttpRequest } from '@atrium/core';
import * as auth from '@atrium/auth';
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

const loaded = new WeakMap<HttpRequest, AuthUser>();

/**
 * Load the request's user once: through auth's `getUser()` when the auth
 * package provides it (its middleware loads the user lazily, and reading
 * request.state.user before that throws), else whatever a middleware put
 * on request.state.user.
 */
export async function loadUser(request: HttpRequest): Promise<AuthUser> {
  const cached = loaded.get(request);
  if (cached) return cached;
  // Looked up at run time: older builds of @atrium/auth have no getUser().
  const getUser = (auth as unknown as { getUser?: (request: HttpRequest) => Promise<AuthUser> }).getUser;
  const user = getUser ? await getUser(request) : ((request.state as { user?: AuthUser }).user ?? NOBODY);
  loaded.set(request, user);
  return user;
}

/** Drop the cached user after login() or logout() changed it. */
export function forgetUser(request: HttpRequest): void {
  loaded.delete(request);
}

/** The request's user, after loadUser() (the admin's guard calls it first). */
export function userOf(request: HttpRequest): AuthUser {
  return loaded.get(request) ?? (request.state as { user?: AuthUser }).user ?? NOBODY;
}

/** Only active staff members use the admin. */
export function isAdminUser(user: AuthUser): boolean {
  return user.isAuthenticated && user.isActive && user.isStaff;
}
