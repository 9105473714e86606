import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHasher } from './password-hasher.js';

export interface ScryptParameters {
  /** log2 of the CPU/memory cost N (17: N = 131072, 128 MiB with r = 8). */
  logN: number;
  blockSize: number;
  parallelism: number;
}

/** OWASP's minimum for scrypt: N=2^17, r=8, p=1. */
export const SCRYPT_DEFAULTS: Readonly<ScryptParameters> = Object.freeze({ logN: 17, blockSize: 8, parallelism: 1 });

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, p: ScryptParameters): Promise<Buffer> {
  const N = 2 ** p.logN;
  // maxmem must exceed 128 * N * r, or node refuses; leave headroom.
  const options: ScryptOptions = { N, r: p.blockSize, p: p.parallelism, maxmem: 256 * N * p.blockSize };
  return new Promise((resolve, reject) => {
    // node:crypto's async scrypt runs on the libuv thread pool, off the event loop.
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * scrypt from node:crypto, for projects that cannot load the argon2 native
 * module, and so hashes made by it upgrade to argon2 at login.
 * Encoded as `scrypt$<logN>$<r>$<p>$<salt b64>$<hash b64>`.
 * @example const hasher = new ScryptHasher(); await hasher.encode('correct horse');
 */
export class ScryptHasher implements PasswordHasher {
  readonly algorithm = 'scrypt';
  readonly parameters: Readonly<ScryptParameters>;

  constructor(parameters: Partial<ScryptParameters> = {}) {
    this.parameters = Object.freeze({ ...SCRYPT_DEFAULTS, ...parameters });
  }

  handles(encoded: string): boolean {
    return encoded.startsWith('scrypt$');
  }

  async encode(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, this.parameters);
    const { logN, blockSize, parallelism } = this.parameters;
    return `scrypt$${logN}$${blockSize}$${parallelism}$${salt.toString('base64')}$${key.toString('base64')}`;
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    const parsed = parse(encoded);
    if (!parsed) return false;
    try {
      const key = await derive(password, parsed.salt, parsed.parameters);
      return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
    } catch {
      return false;
    }
  }

  mustUpdate(encoded: string): boolean {
    const parsed = parse(encoded);
    if (!parsed) return true;
    const p = parsed.parameters;
    return p.logN !== this.parameters.logN || p.blockSize !== this.parameters.blockSize || p.parallelism !== this.parameters.parallelism;
  }

  describe(encoded: string): Readonly<Record<string, string | number>> {
    const parsed = parse(encoded);
    if (!parsed) return { algorithm: 'scrypt', status: 'malformed' };
    return { algorithm: 'scrypt', logN: parsed.parameters.logN, blockSize: parsed.parameters.blockSize, parallelism: parsed.parameters.parallelism };
  }
}

function parse(encoded: string): { parameters: ScryptParameters; salt: Buffer; key: Buffer } | null {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [logN, blockSize, parallelism] = parts.slice(1, 4).map(Number) as [number, number, number];
  // Bound the parameters: a forged hash must not make verify allocate gigabytes.
  if (![logN, blockSize, parallelism].every(Number.isInteger) || logN < 1 || logN > 22 || blockSize < 1 || blockSize > 32 || parallelism < 1 || parallelism > 16) {
    return null;
  }
  return { parameters: { logN, blockSize, parallelism }, salt: Buffer.from(parts[4]!, 'base64'), key: Buffer.from(parts[5]!, 'base64') };
}
