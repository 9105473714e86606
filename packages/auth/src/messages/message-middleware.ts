import type { HttpRequest, HttpResponse, MiddlewareFactory } from '@atrium/core';
import { ImproperlyConfigured } from '@atrium/core';
import { authSettings, type AuthSettings } from '../settings.js';
import { Message, type StoredMessage } from './message.js';
import { Messages } from './messages.js';

/** Cookie name and signing salt of cookie storage (Django's name). */
export const MESSAGES_COOKIE = 'messages';
const COOKIE_SALT = 'atrium.auth.messages';
/** Session key of session storage (Django's name). */
export const MESSAGES_SESSION_KEY = '_messages';
/** Keep the encoded cookie value (before its ~60-byte signature) under browsers' 4 KB per cookie. */
const MAX_COOKIE_BYTES = 3500;

/** The size of the value as the Set-Cookie header carries it (percent-encoded). */
function cookieSize(messages: readonly StoredMessage[]): number {
  return encodeURIComponent(JSON.stringify(messages)).length;
}

/**
 * Django's MessageMiddleware: `request.state.messages` holds flash messages,
 * kept between requests in a signed cookie (MESSAGE_STORAGE 'cookie', the
 * default: no store round trip) or in the session ('session', needs the
 * 'sessions' middleware first). Messages are shown once.
 * @example export default defineSettings({ MIDDLEWARE: ['security', 'sessions', 'common', 'csrf', 'messages'], TEMPLATES: { OPTIONS: { contextProcessors: ['request', 'csrf', 'messages'] } } });
 */
export const messageMiddleware: MiddlewareFactory = (app) => {
  const settings = authSettings(app);
  return async function messages(request, next) {
    const stored = await load(request, settings);
    const messages = new Messages(stored, settings.MESSAGE_LEVEL);
    request.state.messages = messages;
    const response = await next(request);
    const { messages: pending, changed } = messages.pending();
    if (changed) await store(request, response, pending, stored.length > 0, settings);
    return response;
  };
};

async function load(request: HttpRequest, settings: AuthSettings): Promise<Message[]> {
  let raw: unknown;
  if (settings.MESSAGE_STORAGE === 'session') {
    const session = request.state.session;
    if (!session) throw new ImproperlyConfigured("MESSAGE_STORAGE is 'session' but request.state.session is missing: add 'sessions' to MIDDLEWARE before 'messages'.");
    // A new visitor has no session key: nothing to load, and no store round trip.
    if (session.key === null) return [];
    raw = await session.get(MESSAGES_SESSION_KEY);
  } else {
    const signed = request.getSignedCookie(MESSAGES_COOKIE, { salt: COOKIE_SALT });
    if (signed === undefined) return [];
    try {
      raw = JSON.parse(signed);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(raw)) return [];
  return raw.map((item) => Message.fromJSON(item)).filter((m): m is Message => m !== null);
}

async function store(request: HttpRequest, response: HttpResponse, pending: Message[], hadStored: boolean, settings: AuthSettings): Promise<void> {
  if (settings.MESSAGE_STORAGE === 'session') {
    const session = request.state.session!;
    if (pending.length > 0) await session.set(MESSAGES_SESSION_KEY, pending.map((m) => m.toJSON()));
    else if (hadStored) await session.delete(MESSAGES_SESSION_KEY);
    return;
  }
  const cookieOptions = {
    path: '/',
    ...(settings.SESSION_COOKIE_DOMAIN ? { domain: settings.SESSION_COOKIE_DOMAIN } : {}),
    sameSite: 'lax' as const,
    secure: settings.SESSION_COOKIE_SECURE || request.isSecure,
  };
  if (pending.length === 0) {
    if (request.cookies[MESSAGES_COOKIE] !== undefined) response.deleteCookie(MESSAGES_COOKIE, cookieOptions);
    return;
  }
  let kept: StoredMessage[] = pending.map((m) => m.toJSON());
  // Drop the oldest messages rather than lose them all to an oversized cookie; one alone keeps its beginning.
  while (kept.length > 1 && cookieSize(kept) > MAX_COOKIE_BYTES) kept = kept.slice(1);
  while (cookieSize(kept) > MAX_COOKIE_BYTES) kept = [{ ...kept[0]!, text: `${kept[0]!.text.slice(0, Math.floor(kept[0]!.text.length / 2))}…` }];
  response.setSignedCookie(MESSAGES_COOKIE, JSON.stringify(kept), { ...cookieOptions, httpOnly: true, salt: COOKIE_SALT });
}
