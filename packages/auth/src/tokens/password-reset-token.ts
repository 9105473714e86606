import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '@atrium/core';
import { authSettings } from '../settings.js';

/** What a token is computed from: every value that must invalidate it when it changes. */
export interface TokenUser {
  readonly pk: unknown;
  readonly password?: unknown;
  readonly lastLogin?: unknown;
  readonly email?: unknown;
}

export interface PasswordResetTokenOptions {
  secretKey: string;
  /** Older keys still accepted (SECRET_KEY_FALLBACKS), so rotating the key does not void links in flight. */
  fallbackKeys?: readonly string[];
  /** Seconds a token stays valid (PASSWORD_RESET_TIMEOUT). */
  timeout: number;
  /** Milliseconds since the epoch; tests pass a fake clock. */
  now?: () => number;
  /** Distinguishes token purposes; a reset token is not an e-mail-confirmation token. */
  salt?: string;
}

const TOKEN_SHAPE = /^([0-9a-z]{1,13})-([0-9a-f]{32})$/;

/**
 * Django's PasswordResetTokenGenerator: `<timestamp>-<hmac>` where the HMAC
 * covers the user's key, password hash, last login time, the timestamp and
 * e-mail. Nothing is stored: the token stops working after `timeout`
 * seconds, once the password changes (it is single use, since resetting
 * changes the hash), after the next login, or when the e-mail changes.
 * @example
 * const tokens = PasswordResetTokenGenerator.forApp(request.app);
 * const link = `/accounts/reset/${encodeUid(user.pk)}/${tokens.makeToken(user)}/`;
 */
export class PasswordResetTokenGenerator {
  readonly #keys: readonly string[];
  readonly #timeout: number;
  readonly #now: () => number;
  readonly #salt: string;

  constructor(options: PasswordResetTokenOptions) {
    this.#keys = [options.secretKey, ...(options.fallbackKeys ?? [])];
    this.#timeout = options.timeout;
    this.#now = options.now ?? Date.now;
    this.#salt = options.salt ?? 'atrium.auth.tokens.PasswordResetTokenGenerator';
  }

  /** The generator a project's settings describe (SECRET_KEY, its fallbacks, PASSWORD_RESET_TIMEOUT). */
  static forApp(app: Pick<AppContext, 'settings'>, options: { now?: () => number } = {}): PasswordResetTokenGenerator {
    return new PasswordResetTokenGenerator({
      secretKey: app.settings.SECRET_KEY,
      fallbackKeys: app.settings.SECRET_KEY_FALLBACKS ?? [],
      timeout: authSettings(app).PASSWORD_RESET_TIMEOUT,
      ...(options.now ? { now: options.now } : {}),
    });
  }

  makeToken(user: TokenUser): string {
    return this.#token(user, this.#seconds(), this.#keys[0]!);
  }

  /** True for a token made for this user, in its current state, within the timeout. */
  checkToken(user: TokenUser, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const match = TOKEN_SHAPE.exec(token);
    if (!match) return false;
    const timestamp = parseInt(match[1]!, 36);
    if (!Number.isSafeInteger(timestamp)) return false;
    const given = Buffer.from(token);
    const known = this.#keys.some((key) => {
      const expected = Buffer.from(this.#token(user, timestamp, key));
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!known) return false;
    const age = this.#seconds() - timestamp;
    return age >= 0 && age <= this.#timeout;
  }

  #seconds(): number {
    return Math.floor(this.#now() / 1000);
  }

  #token(user: TokenUser, timestamp: number, key: string): string {
    const lastLogin = user.lastLogin instanceof Date ? String(user.lastLogin.getTime()) : '';
    const value = `${String(user.pk)}\u0000${String(user.password ?? '')}\u0000${lastLogin}\u0000${timestamp}\u0000${String(user.email ?? '')}`;
    const derived = createHash('sha256').update(this.#salt + key).digest();
    const digest = createHmac('sha256', derived).update(value).digest('hex');
    // Every other character: a 128-bit tag keeps links short, as Django's.
    let short = '';
    for (let i = 0; i < digest.length; i += 2) short += digest[i];
    return `${timestamp.toString(36)}-${short}`;
  }
}

/**
 * A user's key for a URL (base64url), as Django's urlsafe_base64_encode(force_bytes(pk)).
 * @example encodeUid(42) // 'NDI'
 */
export function encodeUid(pk: unknown): string {
  return Buffer.from(String(pk)).toString('base64url');
}

/**
 * The key from encodeUid, or null for anything that is not one.
 * @example decodeUid('NDI') // '42'
 */
export function decodeUid(uid: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,88}$/.test(uid)) return null;
  const decoded = Buffer.from(uid, 'base64url').toString('utf8');
  return encodeUid(decoded) === uid ? decoded : null;
}
