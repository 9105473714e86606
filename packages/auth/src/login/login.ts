import { ImproperlyConfigured, type HttpRequest } from '@atrium/core';
import { authenticationBackends } from '../backends/backend-registry.js';
import { csrfActive, rotateCsrfToken } from '../csrf/csrf-middleware.js';
import { AnonymousUser, type AuthUser } from '../guards/auth-user.js';
import type { Session } from '../sessions/session.js';
import { authenticatedBy } from './authenticate.js';
import { BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, sessionAuthHash, verifySessionAuthHash } from './session-auth.js';

type SavableUser = AuthUser & { password?: unknown; lastLogin?: unknown; save?(options?: { updateFields?: readonly string[] }): Promise<void> };

/**
 * Log `user` in on this request's session. Against session fixation the
 * session gets a new key (or, when it belonged to another user, is flushed
 * first); the CSRF token is rotated; the session keeps the user id, the
 * backend and the session auth hash (a later password change logs this
 * session out); `lastLogin` is updated. `backend` is needed only when the
 * user did not come from authenticate() and several backends are configured.
 * @example
 * const user = await authenticate(request, { username, password });
 * if (user) { await login(request, user); return redirect('/'); }
 */
export async function login(request: HttpRequest, user: AuthUser, backend?: string): Promise<void> {
  const session = requireSession(request, 'login()');
  const backendName = backend ?? authenticatedBy(user) ?? soleBackend(request);
  const passwordHash = typeof (user as SavableUser).password === 'string' ? ((user as SavableUser).password as string) : null;
  const userId = String(user.pk);

  const currentId = await session.get(SESSION_KEY);
  if (currentId !== undefined) {
    const sameUser = currentId === userId;
    const hashMatches = passwordHash === null || verifySessionAuthHash(await session.get(HASH_SESSION_KEY), passwordHash, request.app).ok;
    // Another user's session (or a stale one of this user): nothing of it may carry over.
    if (!sameUser || !hashMatches) await session.flush();
    else await session.cycleKey();
  } else {
    await session.cycleKey();
  }
  await session.set(SESSION_KEY, userId);
  await session.set(BACKEND_SESSION_KEY, backendName);
  if (passwordHash !== null) await session.set(HASH_SESSION_KEY, sessionAuthHash(passwordHash, request.app.settings.SECRET_KEY));
  if (csrfActive(request)) rotateCsrfToken(request);
  request.state.user = user;
  await updateLastLogin(user as SavableUser);
}

/**
 * Log the user out: the session is deleted from its store and its cookie
 * removed, and the request continues as AnonymousUser. Safe to call when
 * nobody is logged in.
 * @example await logout(request); return redirect('/');
 */
export async function logout(request: HttpRequest): Promise<void> {
  const session = requireSession(request, 'logout()');
  await session.flush();
  request.state.user = AnonymousUser;
}

/**
 * After the current user changed their password: keep this session logged
 * in (its auth hash updated, under a new key) while every other session of
 * theirs stops working. Django's update_session_auth_hash.
 * @example await user.setPassword(form.cleanedData.newPassword1); await user.save(); await updateSessionAuthHash(request, user);
 */
export async function updateSessionAuthHash(request: HttpRequest, user: AuthUser): Promise<void> {
  const session = requireSession(request, 'updateSessionAuthHash()');
  await session.cycleKey();
  const passwordHash = (user as SavableUser).password;
  if ((await session.get(SESSION_KEY)) === String(user.pk) && typeof passwordHash === 'string') {
    await session.set(HASH_SESSION_KEY, sessionAuthHash(passwordHash, request.app.settings.SECRET_KEY));
  }
}

function requireSession(request: HttpRequest, what: string): Session {
  const session = request.state.session;
  if (!session) throw new ImproperlyConfigured(`${what} needs request.state.session: add 'sessions' to MIDDLEWARE (before 'auth').`);
  return session;
}

function soleBackend(request: HttpRequest): string {
  const backends = authenticationBackends(request.app);
  if (backends.length === 1) return backends[0]!.name;
  throw new ImproperlyConfigured(
    `login() cannot tell which of the ${backends.length} AUTHENTICATION_BACKENDS (${backends.map((b) => b.name).join(', ')}) the user belongs to; pass the backend name: login(request, user, 'model'), or get the user from authenticate().`,
  );
}

async function updateLastLogin(user: SavableUser): Promise<void> {
  if (!('lastLogin' in user) || typeof user.save !== 'function') return;
  user.lastLogin = new Date();
  await user.save({ updateFields: ['lastLogin'] });
}
