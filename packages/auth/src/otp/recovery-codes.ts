import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { base32Encode } from './base32.js';

/**
 * Single-use recovery codes for when the authenticator is lost. Each code is
 * 80 random bits (16 base32 characters in groups of four), so a plain
 * SHA-256 is enough to store it: unlike a password, it cannot be guessed from
 * a dictionary, and a slow hash would make checking ten of them slow.
 * @example
 * const codes = generateRecoveryCodes();          // show once to the user
 * user.recoveryCodes = codes.map(hashRecoveryCode); // store only the hashes
 */
export function generateRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => base32Encode(randomBytes(10)).match(/.{4}/g)!.join('-'));
}

/** The normalised code: upper-case, without spaces and dashes (as people type it). */
function normalise(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

/**
 * The stored form of a recovery code (hex SHA-256 of the normalised code).
 * @example hashRecoveryCode('abcd-efgh-ijkl-mnop') === hashRecoveryCode('ABCDEFGHIJKLMNOP')
 */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(`atrium.recovery:${normalise(code)}`).digest('hex');
}

/**
 * Redeem a code: when it matches one of `hashes`, `remaining` is the list
 * without it (store that, so the code cannot be used again). Every hash is
 * compared, in constant time.
 * @example
 * const result = useRecoveryCode(form.code, user.recoveryCodes);
 * if (result.ok) await user.update({ recoveryCodes: result.remaining });
 */
export function useRecoveryCode(code: string, hashes: readonly string[]): { ok: boolean; remaining: string[] } {
  const candidate = Buffer.from(hashRecoveryCode(code));
  let index = -1;
  hashes.forEach((hash, i) => {
    const stored = Buffer.from(hash);
    if (stored.length === candidate.length && timingSafeEqual(stored, candidate) && index === -1) index = i;
  });
  if (index === -1) return { ok: false, remaining: [...hashes] };
  return { ok: true, remaining: hashes.filter((_, i) => i !== index) };
}
