import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Django's CSRF token scheme. The secret (32 characters) lives in a cookie or
 * the session; pages get a masked token (64 characters: a random mask plus
 * the secret shifted by it), different on every response, so the secret
 * never appears twice in a compressed HTTPS body (BREACH).
 */
export const CSRF_SECRET_LENGTH = 32;
export const CSRF_TOKEN_LENGTH = 2 * CSRF_SECRET_LENGTH;
export const CSRF_ALLOWED_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ALLOWED = /^[a-zA-Z0-9]+$/;
const N = CSRF_ALLOWED_CHARS.length;

/** Why a token or cookie value has the wrong shape; the wording is Django's. */
export type TokenFormatProblem = 'has incorrect length' | 'has invalid characters';

/** `length` random characters from CSRF_ALLOWED_CHARS, without modulo bias. */
function randomChars(length: number): string {
  let out = '';
  // 248 = 4 * 62: bytes at or above it are dropped so every character is equally likely.
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += CSRF_ALLOWED_CHARS[byte % N];
    }
  }
  return out;
}

/**
 * A new secret from the CSPRNG (32 characters from 62: about 190 bits).
 * @example const secret = generateCsrfSecret();
 */
export function generateCsrfSecret(): string {
  return randomChars(CSRF_SECRET_LENGTH);
}

/**
 * Mask `secret` with a fresh random mask: `mask + (secret + mask) mod 62`.
 * @example maskCsrfSecret(secret).length // 64
 */
export function maskCsrfSecret(secret: string): string {
  const mask = randomChars(CSRF_SECRET_LENGTH);
  let cipher = '';
  for (let i = 0; i < CSRF_SECRET_LENGTH; i++) {
    cipher += CSRF_ALLOWED_CHARS[(CSRF_ALLOWED_CHARS.indexOf(secret[i]!) + CSRF_ALLOWED_CHARS.indexOf(mask[i]!)) % N];
  }
  return mask + cipher;
}

/**
 * The secret inside a masked token (the inverse of maskCsrfSecret).
 * @example unmaskCsrfToken(maskCsrfSecret(secret)) === secret
 */
export function unmaskCsrfToken(token: string): string {
  const mask = token.slice(0, CSRF_SECRET_LENGTH);
  const cipher = token.slice(CSRF_SECRET_LENGTH);
  let secret = '';
  for (let i = 0; i < CSRF_SECRET_LENGTH; i++) {
    secret += CSRF_ALLOWED_CHARS[(CSRF_ALLOWED_CHARS.indexOf(cipher[i]!) - CSRF_ALLOWED_CHARS.indexOf(mask[i]!) + N) % N];
  }
  return secret;
}

/**
 * What is wrong with the shape of a token or secret (32 or 64 allowed characters), or null.
 * @example csrfTokenFormatProblem('abc') // 'has incorrect length'
 */
export function csrfTokenFormatProblem(token: string): TokenFormatProblem | null {
  if (token.length !== CSRF_SECRET_LENGTH && token.length !== CSRF_TOKEN_LENGTH) return 'has incorrect length';
  if (!ALLOWED.test(token)) return 'has invalid characters';
  return null;
}

/**
 * True when `token` (masked, or a bare 32-character secret) carries `secret`.
 * Both must already have a valid format. The comparison takes the same time
 * wherever the first differing character is.
 * @example csrfTokenMatches(request.header('x-csrftoken')!, secret)
 */
export function csrfTokenMatches(token: string, secret: string): boolean {
  const candidate = token.length === CSRF_TOKEN_LENGTH ? unmaskCsrfToken(token) : token;
  const a = Buffer.from(candidate);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}
