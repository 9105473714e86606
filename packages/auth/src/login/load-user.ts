import type { HttpRequest } from '@atrium/core';
import { authenticationBackends } from '../backends/backend-registry.js';
import { AnonymousUser, type AuthUser } from '../guards/auth-user.js';
import { BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, sessionAuthHash, verifySessionAuthHash } from './session-auth.js';

/**
 * The user the session says is logged in, or AnonymousUser: no session or
 * no user id in it; a backend no longer configured; a user that is gone or
 * inactive; or a session auth hash that no longer matches the password
 * (changed elsewhere) — in that last case the session is flushed, so the
 * stale login is gone for good (Django's get_user).
 */
export async function loadUserFromSession(request: HttpRequest): Promise<AuthUser> {
  const session = request.state.session;
  if (!session) return AnonymousUser;
  const id = await session.get(SESSION_KEY);
  const backendName = await session.get(BACKEND_SESSION_KEY);
  if (typeof id !== 'string' || typeof backendName !== 'string') return AnonymousUser;
  const backend = authenticationBackends(request.app).find((candidate) => candidate.name === backendName);
  if (!backend) return AnonymousUser;
  const user = await backend.getUser(id);
  if (!user) return AnonymousUser;
  const passwordHash = (user as unknown as { password?: unknown }).password;
  if (typeof passwordHash === 'string') {
    const check = verifySessionAuthHash(await session.get(HASH_SESSION_KEY), passwordHash, request.app);
    if (!check.ok) {
      await session.flush();
      return AnonymousUser;
    }
    // Signed with a fallback key: re-sign with the current one, so the fallback can be retired.
    if (!check.current) {
      await session.set(HASH_SESSION_KEY, sessionAuthHash(passwordHash, request.app.settings.SECRET_KEY));
    }
  }
  return user;
}
