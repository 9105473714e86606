import type argon2Module from 'argon2';
import type { PasswordHasher } from './password-hasher.js';

export interface Argon2Parameters {
  /** KiB of memory (19456 = 19 MiB, the OWASP minimum). */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP Password Storage Cheat Sheet's minimum for argon2id. */
export const ARGON2_DEFAULTS: Readonly<Argon2Parameters> = Object.freeze({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });

const PHC = /^\$argon2(id|i|d)\$v=(\d+)\$([a-z]=\d+(?:,[a-z]=\d+)*)\$/;

/** The type and parameters of a PHC string; parameters come in any order (node-argon2 writes m,p,t). */
function parsePhc(encoded: string): { type: string; version: number; m: number; t: number; p: number } | null {
  const match = PHC.exec(encoded);
  if (!match) return null;
  const params = Object.fromEntries(match[3]!.split(',').map((pair) => [pair[0], Number(pair.slice(2))]));
  if (params['m'] === undefined || params['t'] === undefined || params['p'] === undefined) return null;
  return { type: match[1]!, version: Number(match[2]), m: params['m'], t: params['t'], p: params['p'] };
}

/**
 * argon2id through the `argon2` native module, whose hash and verify run on
 * libuv's thread pool, so hashing never blocks the event loop. Hashes are PHC
 * strings (`$argon2id$v=19$m=19456,p=1,t=2$salt$hash`), readable by any
 * other argon2 library.
 * @example const hasher = new Argon2Hasher({ memoryCost: 65_536, timeCost: 3, parallelism: 1 });
 */
let binding: Promise<typeof argon2Module> | undefined;

/** The native argon2 binding, loaded at the first hash or check rather than at start-up. */
function loadArgon2(): Promise<typeof argon2Module> {
  return (binding ??= import('argon2').then((module) => module.default));
}

export class Argon2Hasher implements PasswordHasher {
  readonly algorithm = 'argon2';
  readonly parameters: Readonly<Argon2Parameters>;

  constructor(parameters: Partial<Argon2Parameters> = {}) {
    this.parameters = Object.freeze({ ...ARGON2_DEFAULTS, ...parameters });
  }

  handles(encoded: string): boolean {
    return encoded.startsWith('$argon2');
  }

  async encode(password: string): Promise<string> {
    const argon2 = await loadArgon2();
    return argon2.hash(password, { type: argon2.argon2id, ...this.parameters });
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    // Outside the try: a missing native binding is an install error to report, not a wrong password.
    const argon2 = await loadArgon2();
    try {
      // argon2.verify recomputes with the hash's own parameters and compares in constant time.
      return await argon2.verify(encoded, password);
    } catch {
      return false;
    }
  }

  mustUpdate(encoded: string): boolean {
    const parsed = parsePhc(encoded);
    if (!parsed || parsed.type !== 'id' || parsed.version !== 0x13) return true;
    const { memoryCost, timeCost, parallelism } = this.parameters;
    return parsed.m !== memoryCost || parsed.t !== timeCost || parsed.p !== parallelism;
  }

  describe(encoded: string): Readonly<Record<string, string | number>> {
    const parsed = parsePhc(encoded);
    if (!parsed) return { algorithm: 'argon2', status: 'malformed' };
    return { algorithm: `argon2${parsed.type}`, version: parsed.version, memoryCost: parsed.m, timeCost: parsed.t, parallelism: parsed.p };
  }
}
