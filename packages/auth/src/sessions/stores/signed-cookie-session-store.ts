import { BadSignature, TimestampSigner } from '@atrium/core';
import { SessionCookieTooLarge } from '../../errors.js';
import type { SessionData, SessionStore } from '../session-store.js';
import { generateSessionKey } from '../session-key.js';

/** Browsers keep cookies up to about 4096 bytes including the name and attributes. */
const COOKIE_LIMIT = 4000;

export interface SignedCookieSessionStoreOptions {
  secretKey: string;
  fallbackKeys?: readonly string[];
  /** Seconds: signatures older than this are refused even if the data says otherwise. */
  maxAge: number;
  now?: () => number;
}

/**
 * Sessions kept in the cookie itself, signed (HMAC-SHA256 with SECRET_KEY,
 * salted for sessions) but not encrypted: the client can read but not change
 * them. Nothing is stored server-side, so logout cannot revoke a copy the
 * client kept: it stays valid until it expires (`revocable` is false). Keep
 * secrets out of it, and prefer 'redis' (or 'db') where revocation matters.
 * @example const store = new SignedCookieSessionStore({ secretKey: settings.SECRET_KEY, maxAge: 1_209_600 });
 */
export class SignedCookieSessionStore implements SessionStore {
  readonly name = 'signed_cookies';
  readonly revocable = false;
  readonly #signer: TimestampSigner;
  readonly #maxAge: number;
  readonly #now: () => number;

  constructor(options: SignedCookieSessionStoreOptions) {
    this.#now = options.now ?? Date.now;
    this.#signer = new TimestampSigner({
      key: options.secretKey,
      fallbackKeys: options.fallbackKeys ?? [],
      salt: 'atrium.auth.sessions.signed_cookies',
      now: this.#now,
    });
    this.#maxAge = options.maxAge;
  }

  /** A random nonce: keys are not stored, but each session still starts distinct. */
  async createKey(): Promise<string> {
    return generateSessionKey();
  }

  async load(key: string): Promise<SessionData | null> {
    if (key.length > COOKIE_LIMIT) return null;
    try {
      const payload = this.#signer.unsignObject<{ d?: unknown; e?: unknown }>(key, { maxAge: this.#maxAge });
      if (typeof payload !== 'object' || payload === null || typeof payload.e !== 'number' || payload.e <= this.#now()) return null;
      const data = payload.d;
      return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as SessionData) : null;
    } catch (error) {
      if (error instanceof BadSignature) return null;
      throw error;
    }
  }

  /**
   * Returns the signed data, the new cookie value. The key is signed in as a
   * nonce, so a cycled session never repeats the cookie it replaced.
   */
  async save(key: string, data: SessionData, expiresAt: Date): Promise<string> {
    const signed = this.#signer.signObject({ k: key, d: data, e: expiresAt.getTime() });
    if (signed.length > COOKIE_LIMIT) throw new SessionCookieTooLarge(signed.length, COOKIE_LIMIT);
    return signed;
  }

  /** Nothing to delete server-side; the middleware removes the cookie. */
  async delete(): Promise<void> {}

  async exists(key: string): Promise<boolean> {
    return (await this.load(key)) !== null;
  }

  /** Expired cookies are refused on load; there is nothing stored to clear. */
  async clearExpired(): Promise<number> {
    return 0;
  }
}
