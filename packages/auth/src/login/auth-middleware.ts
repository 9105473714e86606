import { ImproperlyConfigured, type MiddlewareFactory } from '@atrium/core';
import { authSettings } from '../settings.js';
import { loadUserFromSession } from './load-user.js';
import { installUserSlot } from './user-slot.js';

/**
 * Django's AuthenticationMiddleware: `request.state.user` is the logged-in
 * user, loaded from the session lazily — `await getUser(request)` loads it
 * once (one session read, one user query), and a request that never asks
 * costs nothing. Needs 'sessions' before it in MIDDLEWARE.
 * @example export default defineSettings({ MIDDLEWARE: ['security', 'sessions', 'common', 'csrf', 'auth', 'messages'] });
 */
export const authMiddleware: MiddlewareFactory = (app) => {
  const middleware = app.settings.MIDDLEWARE;
  const sessions = middleware.indexOf('sessions');
  const auth = middleware.indexOf('auth');
  if (auth !== -1 && (sessions === -1 || sessions > auth)) {
    throw new ImproperlyConfigured("The 'auth' middleware reads the session: MIDDLEWARE must list 'sessions' before 'auth'.");
  }
  const cookieName = authSettings(app).SESSION_COOKIE_NAME;
  return async function authentication(request, next) {
    const cookie = request.cookies[cookieName];
    installUserSlot(request, loadUserFromSession, cookie !== undefined && cookie !== '');
    return next(request);
  };
};
