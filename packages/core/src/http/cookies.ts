import { serialize } from 'cookie';
import type { CookieOptions, HttpResponse } from './response.js';

/** Signs a cookie value; the application passes `AppContext.signCookie`. */
export type CookieSigner = (name: string, value: string, salt: string) => string;

/** RFC 6265 §4.1.1: a cookie-name is an RFC 2616 token. */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Turn the response's pending cookies into `Set-Cookie` headers, signing the
 * ones queued with `setSignedCookie`, and empty the queue (so a second call
 * adds nothing). Every cookie is checked before any header is added: a bad
 * one throws a TypeError naming it, and the response gets no partial set.
 * @example serializeCookies(response, context.signCookie);
 */
export function serializeCookies(response: HttpResponse, sign: CookieSigner): void {
  const lines = response.cookies.map((cookie) => {
    assertCookieName(cookie.name);
    const value = cookie.signSalt === null ? cookie.value : sign(cookie.name, cookie.value, cookie.signSalt);
    return serializeCookie(cookie.name, value, cookie.options);
  });
  response.cookies.length = 0;
  for (const line of lines) response.headers.append('set-cookie', line);
}

/**
 * One `Set-Cookie` value. The value is percent-encoded (what `request.cookies`
 * decodes); Path defaults to `/`, as in Django, rather than the browser's
 * default of the current URL's folder.
 * @example serializeCookie('theme', 'dark', { maxAge: 3600, sameSite: 'lax' }) // 'theme=dark; Max-Age=3600; Path=/; SameSite=Lax'
 */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  assertCookieName(name);
  if (options.sameSite === 'none' && !options.secure) {
    throw new TypeError(`Cookie '${name}' has SameSite=None without Secure, which browsers reject; set secure: true`);
  }
  if (options.partitioned && !options.secure) {
    throw new TypeError(`Cookie '${name}' is Partitioned without Secure, which browsers reject; set secure: true`);
  }
  const maxAge = options.maxAge === undefined ? undefined : Math.floor(options.maxAge);
  try {
    return serialize(name, value, {
      ...(maxAge !== undefined ? { maxAge } : {}),
      ...(options.expires ? { expires: options.expires } : {}),
      ...(options.domain ? { domain: options.domain } : {}),
      path: options.path ?? '/',
      httpOnly: options.httpOnly ?? false,
      secure: options.secure ?? false,
      partitioned: options.partitioned ?? false,
      ...(options.sameSite ? { sameSite: options.sameSite } : {}),
    });
  } catch (cause) {
    // `cookie` says e.g. "option domain is invalid: x y"; add which cookie it was.
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new TypeError(`Cannot set cookie '${name}': ${detail}`, { cause });
  }
}

function assertCookieName(name: string): void {
  if (!COOKIE_NAME.test(name)) {
    throw new TypeError(
      `Invalid cookie name ${JSON.stringify(name)}: a cookie name must be a non-empty RFC 6265 token (letters, digits and !#$%&'*+-.^_\`|~; no spaces, '=', ';', ',' or quotes)`,
    );
  }
}
