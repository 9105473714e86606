import { PermissionDenied, type HttpRequest } from '@atrium/core';
import type { Credentials } from '../backends/authentication-backend.js';
import { authenticationBackends } from '../backends/backend-registry.js';
import type { AuthUser } from '../guards/auth-user.js';

/** Which backend authenticated a user object, so login() can record it in the session. */
const backendOf = new WeakMap<object, string>();

/**
 * Try each backend of AUTHENTICATION_BACKENDS in order; the first that
 * returns a user wins. Null when none does, or when one throws
 * PermissionDenied (a backend's veto). Wrong passwords and unknown users
 * take the same time (the model backend verifies a dummy hash). Call
 * login() with the user afterwards.
 * @example
 * const user = await authenticate(request, { username, password });
 * if (user) await login(request, user);
 */
export async function authenticate(request: HttpRequest, credentials: Credentials): Promise<AuthUser | null> {
  for (const backend of authenticationBackends(request.app)) {
    let user: AuthUser | null;
    try {
      user = await backend.authenticate(request, credentials);
    } catch (error) {
      if (error instanceof PermissionDenied) return null;
      throw error;
    }
    if (user) {
      backendOf.set(user, backend.name);
      return user;
    }
  }
  return null;
}

/** The name of the backend that authenticated `user`, if authenticate() returned it. */
export function authenticatedBy(user: AuthUser): string | undefined {
  return backendOf.get(user);
}
