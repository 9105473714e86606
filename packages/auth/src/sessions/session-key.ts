import { randomBytes } from 'node:crypto';

/**
 * 24 random bytes as base64url: 32 characters, 192 bits from the CSPRNG (OWASP asks at least 64 bits of entropy; ASVS 128).
 * @example const key = generateSessionKey(); // 'q3Z0...' (32 characters)
 */
export function generateSessionKey(): string {
  return randomBytes(24).toString('base64url');
}

const KEY_SHAPE = /^[A-Za-z0-9_-]{32}$/;

/**
 * True for a value generateSessionKey could have made; anything else is refused before it reaches a store.
 * @example isValidSessionKey(request.cookies.sessionid ?? '')
 */
export function isValidSessionKey(key: string): boolean {
  return KEY_SHAPE.test(key);
}
