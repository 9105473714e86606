import { randomBytes } from 'node:crypto';
import { ImproperlyConfigured } from '@atrium/core';
import { MAX_PASSWORD_LENGTH, PasswordTooLong, UnknownPasswordHasher } from '../errors.js';
import type { AuthSettings } from '../settings.js';
import { Argon2Hasher } from './argon2-hasher.js';
import type { PasswordHasher } from './password-hasher.js';
import { ScryptHasher } from './scrypt-hasher.js';

/** Builds a hasher from the settings; register one with `registerPasswordHasher`. */
export type PasswordHasherFactory = (settings: AuthSettings) => PasswordHasher;

const factories = new Map<string, PasswordHasherFactory>([
  ['argon2', (settings) => new Argon2Hasher(settings.ARGON2)],
  ['scrypt', () => new ScryptHasher()],
]);

/**
 * Make a hasher available to PASSWORD_HASHERS under `name`.
 * @example registerPasswordHasher('bcrypt', () => new BcryptHasher());
 */
export function registerPasswordHasher(name: string, factory: PasswordHasherFactory): void {
  factories.set(name, factory);
}

/** Marks a hash that no password matches (Django's `!` prefix); the rest is random so no two are equal. */
const UNUSABLE_PREFIX = '!';

/** What `checkPassword` calls with the new hash when the stored one was made with old parameters. */
export type PasswordSetter = (encoded: string, password: string) => void | Promise<void>;

/**
 * The configured hashers, preferred first (PASSWORD_HASHERS order). The
 * first hashes new passwords; the others only verify old hashes, which
 * `checkPassword` then upgrades.
 * @example const hashers = new PasswordHasherRegistry([new Argon2Hasher(), new ScryptHasher()]);
 */
export class PasswordHasherRegistry {
  readonly hashers: readonly PasswordHasher[];
  #dummy: Promise<string> | undefined;

  constructor(hashers: readonly PasswordHasher[]) {
    if (hashers.length === 0) throw new ImproperlyConfigured('PASSWORD_HASHERS is empty; list at least one hasher, the preferred one first.');
    this.hashers = hashers;
  }

  /** The registry PASSWORD_HASHERS describes; unknown names throw ImproperlyConfigured. */
  static fromSettings(settings: AuthSettings): PasswordHasherRegistry {
    return new PasswordHasherRegistry(
      settings.PASSWORD_HASHERS.map((name) => {
        const factory = factories.get(name);
        if (!factory) {
          throw new ImproperlyConfigured(
            `PASSWORD_HASHERS lists '${name}', which is not a known hasher; known: ${[...factories.keys()].join(', ')}. Fix the name or call registerPasswordHasher('${name}', factory) first.`,
          );
        }
        return factory(settings);
      }),
    );
  }

  get preferred(): PasswordHasher {
    return this.hashers[0]!;
  }

  /** The hasher that made `encoded`, or undefined. */
  identify(encoded: string): PasswordHasher | undefined {
    return this.hashers.find((hasher) => hasher.handles(encoded));
  }

  /**
   * Hash a password with the preferred hasher; `null` gives an unusable password.
   * @example user.password = await hashers.makePassword('correct horse battery staple');
   */
  async makePassword(password: string | null): Promise<string> {
    if (password === null) return makeUnusablePassword();
    assertLength(password);
    return this.preferred.encode(password);
  }

  /**
   * True when `password` matches `encoded`. Unknown users (`encoded` null)
   * and unusable hashes cost one verification too, so timing does not tell
   * them apart. When the hash matches but was made by another hasher or with
   * other parameters, `setter` receives a fresh hash to store (the upgrade).
   * @example const ok = await hashers.checkPassword(form.password, user.password, { setter: (hash) => user.update({ password: hash }) });
   */
  async checkPassword(password: string, encoded: string | null | undefined, options: { setter?: PasswordSetter } = {}): Promise<boolean> {
    assertLength(password);
    if (encoded === null || encoded === undefined || !isPasswordUsable(encoded)) {
      await this.dummyVerify(password);
      return false;
    }
    const hasher = this.identify(encoded);
    if (!hasher) throw new UnknownPasswordHasher(algorithmOf(encoded), this.hashers.map((h) => h.algorithm));
    const ok = await hasher.verify(password, encoded);
    if (ok && options.setter && (hasher !== this.preferred || hasher.mustUpdate(encoded))) {
      await options.setter(await this.preferred.encode(password), password);
    }
    return ok;
  }

  /**
   * Spend what one real verification costs and return false: call it when
   * the username is unknown, so a login for a missing account takes as long
   * as a wrong password.
   * @example if (!user) { await hashers.dummyVerify(password); return null; }
   */
  async dummyVerify(password: string): Promise<false> {
    // One hash per registry, made with the preferred hasher's current parameters.
    this.#dummy ??= this.preferred.encode(randomBytes(18).toString('base64url'));
    await this.preferred.verify(password.slice(0, MAX_PASSWORD_LENGTH), await this.#dummy);
    return false;
  }

  /** True when `encoded` is weaker than what the preferred hasher makes today. */
  mustUpdate(encoded: string): boolean {
    const hasher = this.identify(encoded);
    return hasher !== this.preferred || this.preferred.mustUpdate(encoded);
  }
}

/**
 * A hash no password matches, for accounts that log in another way (SSO).
 * @example user.password = makeUnusablePassword();
 */
export function makeUnusablePassword(): string {
  return UNUSABLE_PREFIX + randomBytes(30).toString('base64url');
}

/**
 * False for a missing or unusable hash (`makeUnusablePassword`, `makePassword(null)`).
 * @example if (!isPasswordUsable(user.password)) return redirect('/accounts/set-password/');
 */
export function isPasswordUsable(encoded: string | null | undefined): boolean {
  return typeof encoded === 'string' && encoded !== '' && !encoded.startsWith(UNUSABLE_PREFIX);
}

function assertLength(password: string): void {
  if (typeof password !== 'string') throw new TypeError(`A password must be a string, got ${typeof password}`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new PasswordTooLong(password.length);
}

function algorithmOf(encoded: string): string {
  const match = /^\$?([a-z0-9_-]{1,32})\$/i.exec(encoded);
  return match ? match[1]! : '(unrecognised format)';
}
