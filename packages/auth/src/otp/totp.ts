import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { base32Decode, base32Encode } from './base32.js';

export type OtpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export interface TotpOptions {
  /** Seconds per step (RFC 6238's X); 30 is what authenticator apps use. */
  period?: number;
  digits?: 6 | 7 | 8;
  /** SHA-1 is what every authenticator app supports. */
  algorithm?: OtpAlgorithm;
  /** Unix time (seconds) of step 0 (RFC 6238's T0). */
  epoch?: number;
}

const DEFAULTS = { period: 30, digits: 6, algorithm: 'sha1', epoch: 0 } as const;

/**
 * A new TOTP secret: 20 random bytes (160 bits, RFC 4226's recommendation) as base32.
 * @example const secret = generateTotpSecret(); // 'JBSWY3DPEHPK3PXP...'
 */
export function generateTotpSecret(bytes = 20): string {
  if (bytes < 16) throw new RangeError(`A TOTP secret needs at least 16 bytes (128 bits); got ${bytes}`);
  return base32Encode(randomBytes(bytes));
}

/**
 * RFC 4226 HOTP: HMAC of the 8-byte counter, dynamically truncated to `digits` decimal digits.
 * @example hotp(Buffer.from('12345678901234567890'), 0) // '755224'
 */
export function hotp(key: Uint8Array, counter: number, digits: 6 | 7 | 8 = 6, algorithm: OtpAlgorithm = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/**
 * The time step a moment falls in.
 * @example totpStep(59) // 1 (30-second steps)
 */
export function totpStep(timeSeconds: number, options: TotpOptions = {}): number {
  const { period, epoch } = { ...DEFAULTS, ...options };
  return Math.floor((timeSeconds - epoch) / period);
}

/**
 * The RFC 6238 code for a base32 secret at `timeSeconds` (default now).
 * @example totp(secret) // '287082'
 */
export function totp(secret: string, timeSeconds = Date.now() / 1000, options: TotpOptions = {}): string {
  const { digits, algorithm } = { ...DEFAULTS, ...options };
  return hotp(base32Decode(secret), totpStep(timeSeconds, options), digits, algorithm);
}

export interface VerifyTotpOptions extends TotpOptions {
  /** Unix seconds; default now. */
  time?: number;
  /** Steps accepted either side of the current one, for clock drift (RFC 6238 section 5.2 suggests 1). */
  window?: number;
  /**
   * Replay protection: the step of the last code this user redeemed. Codes
   * from that step or earlier are refused, so a code cannot be used twice.
   * Store the returned `step` after a success.
   */
  lastUsedStep?: number | null;
}

/** The step that matched (store it as the next `lastUsedStep`), or null. */
export type TotpVerification = { ok: true; step: number } | { ok: false; step: null };

/**
 * Check a code typed by the user. Every step in the window is compared (in
 * constant time), so timing does not reveal which one matched.
 * @example
 * const result = verifyTotp(user.totpSecret, form.code, { lastUsedStep: user.totpLastStep });
 * if (result.ok) await user.update({ totpLastStep: result.step });
 */
export function verifyTotp(secret: string, code: string, options: VerifyTotpOptions = {}): TotpVerification {
  const { digits, algorithm } = { ...DEFAULTS, ...options };
  const window = options.window ?? 1;
  const typed = code.replace(/\s/g, '');
  if (!/^\d+$/.test(typed) || typed.length !== digits) return { ok: false, step: null };
  const key = base32Decode(secret);
  const current = totpStep(options.time ?? Date.now() / 1000, options);
  let matched: number | null = null;
  for (let step = current - window; step <= current + window; step++) {
    if (step < 0) continue;
    const equal = timingSafeEqual(Buffer.from(hotp(key, step, digits, algorithm)), Buffer.from(typed));
    if (equal && matched === null) matched = step;
  }
  if (matched === null) return { ok: false, step: null };
  if (options.lastUsedStep !== undefined && options.lastUsedStep !== null && matched <= options.lastUsedStep) return { ok: false, step: null };
  return { ok: true, step: matched };
}

export interface OtpauthUriOptions extends TotpOptions {
  secret: string;
  /** Shown in the app, usually the username or e-mail. */
  accountName: string;
  /** The site's name; shown in the app and used to group accounts. */
  issuer: string;
}

/**
 * The `otpauth://totp/...` URI authenticator apps scan from a QR code
 * (Google Authenticator key URI format). Default parameters are left out,
 * since some apps ignore or mishandle them.
 * @example otpauthUri({ secret, accountName: 'ada@example.com', issuer: 'Example' })
 */
export function otpauthUri(options: OtpauthUriOptions): string {
  const { period, digits, algorithm } = { ...DEFAULTS, ...options };
  const label = `${encodeURIComponent(options.issuer)}:${encodeURIComponent(options.accountName)}`;
  const params = new URLSearchParams({ secret: options.secret.replace(/[\s=-]/g, '').toUpperCase(), issuer: options.issuer });
  if (algorithm !== 'sha1') params.set('algorithm', algorithm.toUpperCase());
  if (digits !== 6) params.set('digits', String(digits));
  if (period !== 30) params.set('period', String(period));
  return `otpauth://totp/${label}?${params.toString().replace(/\+/g, '%20')}`;
}
