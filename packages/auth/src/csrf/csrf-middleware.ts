import { ImproperlyConfigured, type HttpRequest, type HttpResponse, type MiddlewareFactory } from '@atrium/core';
import { CSRF_FIELD_NAME } from '@atrium/templates';
import { authSettings, type AuthSettings } from '../settings.js';
import { appendVary } from '../vary.js';
import { isCsrfExempt } from './csrf-exempt.js';
import { csrfFailureResponse } from './csrf-failure-page.js';
import { CsrfReason } from './csrf-reasons.js';
import { csrfTokenFormatProblem, csrfTokenMatches, generateCsrfSecret, maskCsrfSecret, unmaskCsrfToken, CSRF_TOKEN_LENGTH } from './csrf-token.js';
import { originVerified, parseTrustedOrigins, refererProblem, type TrustedOrigins } from './origin-check.js';

/** Methods that must not change anything (RFC 9110 section 9.2.1), so they are not checked. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
/** Where the secret lives when CSRF_USE_SESSIONS is on (Django's name). */
export const CSRF_SESSION_KEY = '_csrftoken';

/** The CSRF facts of one request. */
interface CsrfState {
  /** The valid secret the client holds (cookie or session), or null. */
  readonly stored: string | null;
  /** What is wrong with the client's cookie, when it has a malformed one. */
  readonly cookieProblem: string | null;
  /** The secret pages use: the stored one, or a new one made on first use. */
  secret: string | null;
  /** True once a token was handed out (or rotated): the secret must reach the client. */
  needsUpdate: boolean;
  masked: string | null;
}

const states = new WeakMap<HttpRequest, CsrfState>();

/**
 * The masked CSRF token for this request's forms (also `request.state.csrfToken`).
 * Using it makes the middleware send the secret cookie with the response.
 * @example html(`<input type="hidden" name="csrfmiddlewaretoken" value="${getCsrfToken(request)}">`)
 */
export function getCsrfToken(request: HttpRequest): string {
  const state = stateOf(request);
  state.secret ??= generateCsrfSecret();
  state.needsUpdate = true;
  state.masked ??= maskCsrfSecret(state.secret);
  return state.masked;
}

/**
 * Replace the CSRF secret: call at login, so a token seen before login is
 * useless after it. Forms rendered earlier need a reload.
 * @example await session.cycleKey(); rotateCsrfToken(request);
 */
export function rotateCsrfToken(request: HttpRequest): void {
  const state = stateOf(request);
  state.secret = generateCsrfSecret();
  state.masked = null;
  state.needsUpdate = true;
}

/**
 * True when the 'csrf' middleware runs for this request (login rotates the
 * token only then).
 * @example if (csrfActive(request)) rotateCsrfToken(request);
 */
export function csrfActive(request: HttpRequest): boolean {
  return states.has(request);
}

function stateOf(request: HttpRequest): CsrfState {
  const state = states.get(request);
  if (!state) {
    throw new ImproperlyConfigured("CSRF tokens need the 'csrf' middleware: add 'csrf' to MIDDLEWARE (after 'sessions' and 'common') and '@atrium/auth' to INSTALLED_APPS.");
  }
  return state;
}

/**
 * Django's CsrfViewMiddleware. Unsafe methods (anything but GET, HEAD,
 * OPTIONS, TRACE) to views not marked `csrfExempt` must carry the masked
 * token in the `csrfmiddlewaretoken` form field or the X-CSRFToken header,
 * matching the secret in the `csrftoken` cookie (or the session). The Origin
 * header, when sent, must be this site or in CSRF_TRUSTED_ORIGINS; over HTTPS
 * without Origin the Referer must be. Every failure is a 403 naming the
 * reason (with DEBUG) — never a 500.
 * @example export default defineSettings({ MIDDLEWARE: ['security', 'sessions', 'common', 'csrf'], CSRF_TRUSTED_ORIGINS: ['https://*.example.com'] });
 */
export const csrfMiddleware: MiddlewareFactory = (app) => {
  const settings = authSettings(app);
  const trusted = parseTrustedOrigins(settings.CSRF_TRUSTED_ORIGINS);
  if (settings.CSRF_USE_SESSIONS) assertSessionsFirst(app.settings.MIDDLEWARE);
  return async function csrf(request, next) {
    const state = await readState(request, settings);
    states.set(request, state);
    Object.defineProperty(request.state, 'csrfToken', { get: () => getCsrfToken(request), enumerable: true, configurable: true });

    if (!SAFE_METHODS.has(request.method) && !exemptRoute(request)) {
      const reason = await rejection(request, state, settings, trusted);
      if (reason !== null) return csrfFailureResponse(request, reason);
    }
    const response = await next(request);
    await commit(request, response, state, settings);
    return response;
  };
};

/** 'sessions' must run before 'csrf' when the secret lives in the session. */
function assertSessionsFirst(middleware: readonly unknown[]): void {
  const sessions = middleware.indexOf('sessions');
  const csrf = middleware.indexOf('csrf');
  if (csrf !== -1 && (sessions === -1 || sessions > csrf)) {
    throw new ImproperlyConfigured("CSRF_USE_SESSIONS is true, so MIDDLEWARE must list 'sessions' before 'csrf'.");
  }
}

async function readState(request: HttpRequest, settings: AuthSettings): Promise<CsrfState> {
  let raw: string | undefined;
  if (settings.CSRF_USE_SESSIONS) {
    const session = request.state.session;
    if (!session) throw new ImproperlyConfigured("CSRF_USE_SESSIONS is true but request.state.session is missing: add 'sessions' to MIDDLEWARE before 'csrf'.");
    const value = await session.get(CSRF_SESSION_KEY);
    raw = typeof value === 'string' ? value : undefined;
  } else {
    raw = request.cookies[settings.CSRF_COOKIE_NAME];
  }
  if (raw === undefined) return { stored: null, cookieProblem: null, secret: null, needsUpdate: false, masked: null };
  const problem = csrfTokenFormatProblem(raw);
  if (problem !== null) return { stored: null, cookieProblem: problem, secret: null, needsUpdate: false, masked: null };
  // A masked value in the cookie (older clients) still carries a valid secret; it is replaced on the next update.
  const secret = raw.length === CSRF_TOKEN_LENGTH ? unmaskCsrfToken(raw) : raw;
  return { stored: secret, cookieProblem: null, secret, needsUpdate: raw.length === CSRF_TOKEN_LENGTH, masked: null };
}

/** True when the route's view for this method is marked csrfExempt. */
function exemptRoute(request: HttpRequest): boolean {
  const match = request.app.router.resolve(request.path);
  if (match === null) return false;
  const view = match.handlers[request.method] ?? match.handlers['*'];
  return isCsrfExempt(view);
}

/** The reason to refuse the request, or null to let it through. */
async function rejection(request: HttpRequest, state: CsrfState, settings: AuthSettings, trusted: TrustedOrigins): Promise<string | null> {
  const origin = request.header('origin');
  if (origin !== undefined) {
    if (!originVerified(request, origin, trusted)) return CsrfReason.badOrigin(origin);
  } else if (request.isSecure) {
    const cookieDomain = settings.CSRF_USE_SESSIONS ? settings.SESSION_COOKIE_DOMAIN : settings.CSRF_COOKIE_DOMAIN;
    const problem = refererProblem(request, trusted, cookieDomain);
    if (problem !== null) return problem;
  }

  if (state.cookieProblem !== null) return CsrfReason.badCookie(state.cookieProblem);
  if (state.stored === null) return CsrfReason.noCookie;

  let token = '';
  let source = 'POST';
  if (request.method === 'POST' && isFormBody(request)) {
    token = (await request.form()).fields.get(CSRF_FIELD_NAME) ?? '';
  }
  if (token === '') {
    const header = request.header(settings.CSRF_HEADER_NAME);
    if (header === undefined) return CsrfReason.tokenMissing;
    token = header;
    source = `the '${settings.CSRF_HEADER_NAME}' HTTP header`;
  }
  const problem = csrfTokenFormatProblem(token);
  if (problem !== null) return CsrfReason.badToken(source, problem);
  if (!csrfTokenMatches(token, state.stored)) return CsrfReason.badToken(source, 'incorrect');
  return null;
}

function isFormBody(request: HttpRequest): boolean {
  const type = request.contentType;
  return type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data';
}

/** Send the secret back when a token was used or rotated. */
async function commit(request: HttpRequest, response: HttpResponse, state: CsrfState, settings: AuthSettings): Promise<void> {
  if (!state.needsUpdate || state.secret === null) return;
  if (settings.CSRF_USE_SESSIONS) {
    if (state.secret !== state.stored) await request.state.session!.set(CSRF_SESSION_KEY, state.secret);
    return;
  }
  response.setCookie(settings.CSRF_COOKIE_NAME, state.secret, {
    path: settings.CSRF_COOKIE_PATH,
    ...(settings.CSRF_COOKIE_DOMAIN ? { domain: settings.CSRF_COOKIE_DOMAIN } : {}),
    ...(settings.CSRF_COOKIE_AGE !== null ? { maxAge: settings.CSRF_COOKIE_AGE } : {}),
    secure: settings.CSRF_COOKIE_SECURE || request.isSecure,
    httpOnly: settings.CSRF_COOKIE_HTTPONLY,
    ...(settings.CSRF_COOKIE_SAMESITE ? { sameSite: settings.CSRF_COOKIE_SAMESITE } : {}),
  });
  appendVary(response, 'Cookie');
}
