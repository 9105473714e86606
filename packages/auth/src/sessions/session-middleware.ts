import { errorResponse, type HttpRequest, type HttpResponse, type MiddlewareFactory } from '@atrium/core';
import { authSettings, type AuthSettings } from '../settings.js';
import { Session } from './session.js';
import { sessionStore } from './session-engines.js';
import { appendVary } from '../vary.js';

/** Longest session cookie value looked at; anything longer is ignored, never sent to a store. */
const MAX_COOKIE_VALUE = 4096;

/**
 * Django's SessionMiddleware: `request.state.session` is a Session bound to
 * the `sessionid` cookie, loaded on first use and saved after the view only
 * when modified. The cookie is HttpOnly and SameSite=Lax by default, Secure
 * per SESSION_COOKIE_SECURE or whenever the request came over HTTPS; a
 * flushed session's cookie is deleted.
 * @example export default defineSettings({ INSTALLED_APPS: ['@atrium/auth'], MIDDLEWARE: ['security', 'sessions', 'common', 'csrf', 'messages'] });
 */
export const sessionMiddleware: MiddlewareFactory = (app) => {
  const settings = authSettings(app);
  const store = sessionStore(app);
  const options = {
    cookieAge: settings.SESSION_COOKIE_AGE,
    expireAtBrowserClose: settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
    onStoreFailure: settings.SESSION_STORE_FAILURE,
    warn: (message: string) => process.stderr.write(`${message}\n`),
  };
  return async function sessions(request, next) {
    const cookie = request.cookies[settings.SESSION_COOKIE_NAME];
    const key = cookie !== undefined && cookie !== '' && cookie.length <= MAX_COOKIE_VALUE ? cookie : null;
    const session = new Session(store, key, options);
    request.state.session = session;
    const response = await next(request);
    try {
      await commitSession(request, response, session, settings, cookie !== undefined);
    } catch (error) {
      return errorResponse(error, request);
    }
    return response;
  };
};

async function commitSession(request: HttpRequest, response: HttpResponse, session: Session, settings: AuthSettings, hadCookie: boolean): Promise<void> {
  if (session.accessed) appendVary(response, 'Cookie');
  // A store outage must not log the user out for good: leave their cookie alone.
  if (session.degraded) return;
  const cookieOptions = {
    path: settings.SESSION_COOKIE_PATH,
    ...(settings.SESSION_COOKIE_DOMAIN ? { domain: settings.SESSION_COOKIE_DOMAIN } : {}),
    ...(settings.SESSION_COOKIE_SAMESITE ? { sameSite: settings.SESSION_COOKIE_SAMESITE } : {}),
    secure: settings.SESSION_COOKIE_SECURE || request.isSecure,
  };
  if (session.isEmpty) {
    if (hadCookie) response.deleteCookie(settings.SESSION_COOKIE_NAME, cookieOptions);
    return;
  }
  if (!session.modified && !settings.SESSION_SAVE_EVERY_REQUEST) return;
  // Django does not save after a server error: the view may have failed half-way through its changes.
  if (response.status >= 500) return;
  const value = await session.save();
  if (value === null) {
    if (hadCookie && !session.degraded) response.deleteCookie(settings.SESSION_COOKIE_NAME, cookieOptions);
    return;
  }
  const atBrowserClose = session.expiresAtBrowserClose();
  response.setCookie(settings.SESSION_COOKIE_NAME, value, {
    ...cookieOptions,
    httpOnly: settings.SESSION_COOKIE_HTTPONLY,
    ...(atBrowserClose ? {} : { maxAge: session.expiryAge(), expires: session.expiryDate() }),
  });
}
