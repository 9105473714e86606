import { randomBytes } from 'node:crypto';

/**
 * A fresh SECRET_KEY: 48 random bytes as base64url, 64 characters, so it
 * passes `manage check --deploy`'s length rule and contains no quote or backslash
 * that could break the TypeScript string it is written into.
 * @example generateSecretKey().length // 64
 */
export function generateSecretKey(): string {
  return randomBytes(48).toString('base64url');
}
