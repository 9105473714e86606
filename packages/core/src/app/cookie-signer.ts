import { BadSignature } from '../errors.js';
import { TimestampSigner } from '../signing/signer.js';
import type { Settings } from '../settings/schema.js';
import type { SignedCookieReadOptions } from '../http/request.js';

/**
 * Sign and verify cookie values with SECRET_KEY (and its fallbacks), salted
 * by the cookie name so a value signed for one cookie is refused for another.
 */
export function cookieSigner(settings: Settings): {
  sign(name: string, value: string, salt?: string): string;
  unsign(name: string, signed: string, options?: SignedCookieReadOptions): string | undefined;
} {
  const signers = new Map<string, TimestampSigner>();
  const signerFor = (name: string, salt: string): TimestampSigner => {
    const fullSalt = `atrium.signed_cookie:${name}:${salt}`;
    let signer = signers.get(fullSalt);
    if (!signer) {
      signer = new TimestampSigner({ key: settings.SECRET_KEY, fallbackKeys: settings.SECRET_KEY_FALLBACKS, salt: fullSalt });
      // Cookie names are chosen by the code, not the client, so this map stays small.
      signers.set(fullSalt, signer);
    }
    return signer;
  };
  return {
    sign: (name, value, salt = '') => signerFor(name, salt).sign(value),
    unsign(name, signed, options = {}) {
      try {
        return signerFor(name, options.salt ?? '').unsign(signed, options.maxAge !== undefined ? { maxAge: options.maxAge } : {});
      } catch (error) {
        if (error instanceof BadSignature) return undefined;
        throw error;
      }
    },
  };
}
