import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadSignature, ImproperlyConfigured, SignatureExpired } from '../errors.js';

export interface SignerOptions {
  /** The secret, normally SECRET_KEY. */
  key: string;
  /** Old secrets still accepted by `unsign` (SECRET_KEY_FALLBACKS), so keys can rotate without logging everyone out. */
  fallbackKeys?: readonly string[];
  /** Namespaces signatures by purpose: a value signed with one salt is refused under another. */
  salt?: string;
  /** Between value and signature; must not occur in base64url or base62 output. Default ':'. */
  sep?: string;
}

export interface UnsignOptions {
  /** Seconds; an older signature throws SignatureExpired. */
  maxAge?: number;
}

const DEFAULT_SALT = 'atrium.core.signing';
/** base64url and base62 output never contain these, so a separator from them would be ambiguous. */
const SIGNATURE_CHARS = /[A-Za-z0-9_-]/;

/**
 * Django-style signing: `value:signature`, where the signature is
 * HMAC-SHA256 under a key derived from the secret and the salt. Verification
 * tries the current key, then each fallback key, comparing in constant time.
 * @example
 * const signer = new Signer({ key: settings.SECRET_KEY, salt: 'password-reset' });
 * const token = signer.sign('42');      // '42:Xr3...'
 * signer.unsign(token);                 // '42' (BadSignature when tampered with)
 */
export class Signer {
  readonly salt: string;
  readonly sep: string;
  /** Derived keys, current first. */
  readonly #keys: readonly Buffer[];

  constructor(options: SignerOptions) {
    if (typeof options.key !== 'string' || options.key === '') {
      throw new ImproperlyConfigured('Signer needs a non-empty key; pass settings.SECRET_KEY');
    }
    const sep = options.sep ?? ':';
    if (sep === '' || SIGNATURE_CHARS.test(sep)) {
      throw new ImproperlyConfigured(`Signer separator ${JSON.stringify(sep)} is invalid; use characters outside A-Z, a-z, 0-9, '-' and '_' (default ':')`);
    }
    this.salt = options.salt ?? DEFAULT_SALT;
    this.sep = sep;
    this.#keys = [options.key, ...(options.fallbackKeys ?? [])].map((key) => deriveKey(key, this.salt));
  }

  /** The signature of `value` under the current key (base64url, no padding). */
  signature(value: string): string {
    return hmac(this.#keys[0]!, value);
  }

  sign(value: string): string {
    return `${value}${this.sep}${this.signature(value)}`;
  }

  /** The value inside `signed`; BadSignature when it was tampered with or signed under another key or salt. */
  unsign(signed: string): string {
    const at = signed.lastIndexOf(this.sep);
    if (at === -1) throw new BadSignature(`No '${this.sep}' separator found in the signed value`);
    const value = signed.slice(0, at);
    const given = Buffer.from(signed.slice(at + this.sep.length));
    for (const key of this.#keys) {
      if (constantTimeEqual(given, Buffer.from(hmac(key, value)))) return value;
    }
    throw new BadSignature('Signature does not match: the value was tampered with, or signed with another key or salt');
  }

  /**
   * Sign any JSON value as compact base64url JSON.
   * @example const token = signer.signObject({ user: 42, next: '/admin/' });
   */
  signObject(value: unknown): string {
    return this.sign(encodeObject(value));
  }

  /** The JSON value inside a `signObject` result. */
  unsignObject<T = unknown>(signed: string): T {
    return decodeObject(this.unsign(signed)) as T;
  }
}

/**
 * A Signer that also signs the time, so `unsign` can refuse old values with
 * `maxAge` (seconds). The timestamp is base62 seconds, as in Django.
 * @example
 * const signer = new TimestampSigner({ key: settings.SECRET_KEY, salt: 'email-confirm' });
 * const token = signer.sign('ada@example.com');
 * signer.unsign(token, { maxAge: 3600 }); // SignatureExpired after an hour
 */
export class TimestampSigner extends Signer {
  readonly #now: () => number;

  /** `now` returns milliseconds since the epoch (default Date.now); tests pass a fake clock. */
  constructor(options: SignerOptions & { now?: () => number }) {
    super(options);
    this.#now = options.now ?? Date.now;
  }

  /** The current time as base62 seconds. */
  timestamp(): string {
    return toBase62(Math.floor(this.#now() / 1000));
  }

  override sign(value: string): string {
    return super.sign(`${value}${this.sep}${this.timestamp()}`);
  }

  override unsign(signed: string, options: UnsignOptions = {}): string {
    const { maxAge } = options;
    if (maxAge !== undefined && !(Number.isFinite(maxAge) && maxAge >= 0)) {
      throw new TypeError(`maxAge must be a number of seconds >= 0, got ${String(maxAge)}`);
    }
    const stamped = super.unsign(signed);
    const at = stamped.lastIndexOf(this.sep);
    const timestamp = at === -1 ? NaN : fromBase62(stamped.slice(at + this.sep.length));
    if (Number.isNaN(timestamp)) throw new BadSignature('The signed value has no valid timestamp; it was not made by a TimestampSigner');
    if (maxAge !== undefined) {
      const age = this.#now() / 1000 - timestamp;
      if (age > maxAge) throw new SignatureExpired(`Signature age ${Math.floor(age)} s is over the maximum of ${maxAge} s`);
    }
    return stamped.slice(0, at);
  }

  override unsignObject<T = unknown>(signed: string, options: UnsignOptions = {}): T {
    return decodeObject(this.unsign(signed, options)) as T;
  }
}

/** One key per purpose, so a signature for one salt is useless under another. */
function deriveKey(secret: string, salt: string): Buffer {
  return createHmac('sha256', secret).update(`atrium.signing.key:${salt}`).digest();
}

function hmac(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}

/** Compare without an early exit, so response time does not reveal how much of a forged signature was right. */
function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  // Lengths are public (every signature has the same length); timingSafeEqual requires them equal.
  return a.length === b.length && timingSafeEqual(a, b);
}

function encodeObject(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`Cannot sign ${typeof value} as an object: it has no JSON form`);
  return Buffer.from(json, 'utf8').toString('base64url');
}

function decodeObject(payload: string): unknown {
  // The HMAC already proved we produced this text; a parse failure means it was signed with sign(), not signObject().
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new BadSignature('The signed value is not a signed object; sign it with signObject()');
  }
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function toBase62(n: number): string {
  let out = '';
  do {
    out = BASE62[n % 62]! + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out;
}

/** NaN for anything but 1-11 base62 digits. */
function fromBase62(s: string): number {
  if (!/^[0-9A-Za-z]{1,11}$/.test(s)) return NaN;
  let n = 0;
  for (const c of s) n = n * 62 + BASE62.indexOf(c);
  return n;
}
