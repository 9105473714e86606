import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '@atrium/core';

/** Session keys of the logged-in user (Django's names, in camel case where Django has none). */
export const SESSION_KEY = '_auth_user_id';
export const BACKEND_SESSION_KEY = '_auth_user_backend';
export const HASH_SESSION_KEY = '_auth_user_hash';

const SALT = 'atrium.auth.session_auth_hash';

/**
 * An HMAC of the user's password hash, kept in the session at login and
 * checked on every request: changing the password changes it, which logs
 * out every other session of that user (Django's session auth hash).
 * @example sessionAuthHash(user.password, app.settings.SECRET_KEY)
 */
export function sessionAuthHash(passwordHash: string, secretKey: string): string {
  const key = createHash('sha256').update(SALT + secretKey).digest();
  return createHmac('sha256', key).update(passwordHash).digest('hex');
}

/**
 * Whether `stored` is the hash of `passwordHash` under SECRET_KEY or one of
 * SECRET_KEY_FALLBACKS (so rotating the key does not log everyone out);
 * `current` says whether the current key made it (else re-store it).
 */
export function verifySessionAuthHash(stored: unknown, passwordHash: string, app: Pick<AppContext, 'settings'>): { ok: boolean; current: boolean } {
  if (typeof stored !== 'string' || stored.length !== 64) return { ok: false, current: false };
  const keys = [app.settings.SECRET_KEY, ...(app.settings.SECRET_KEY_FALLBACKS ?? [])];
  for (const [index, key] of keys.entries()) {
    if (timingSafeEqual(Buffer.from(stored), Buffer.from(sessionAuthHash(passwordHash, key)))) return { ok: true, current: index === 0 };
  }
  return { ok: false, current: false };
}
