import type { AppContext } from '@atrium/core';
import { authSettings } from '../settings.js';
import { PasswordHasherRegistry, type PasswordSetter } from './hasher-registry.js';
import { Argon2Hasher } from './argon2-hasher.js';
import { ScryptHasher } from './scrypt-hasher.js';

/**
 * Module-level password functions, as in Django's `make_password` and
 * `check_password`. They use the registry of the most recently started
 * project (the auth app's ready() installs it from PASSWORD_HASHERS), or the
 * defaults (argon2id at OWASP parameters, then scrypt) before that.
 */
let current = new PasswordHasherRegistry([new Argon2Hasher(), new ScryptHasher()]);
const byApp = new WeakMap<AppContext, PasswordHasherRegistry>();

/**
 * The hashers PASSWORD_HASHERS (and ARGON2) describe for this project.
 * @example const hashers = passwordHashers(request.app);
 */
export function passwordHashers(app: AppContext): PasswordHasherRegistry {
  let registry = byApp.get(app);
  if (!registry) {
    registry = PasswordHasherRegistry.fromSettings(authSettings(app));
    byApp.set(app, registry);
  }
  return registry;
}

/**
 * Make `registry` the one the module-level functions use. Called by the auth app's ready().
 * @example setDefaultPasswordHashers(new PasswordHasherRegistry([new Argon2Hasher({ memoryCost: 65_536 })]));
 */
export function setDefaultPasswordHashers(registry: PasswordHasherRegistry): void {
  current = registry;
}

/**
 * The registry the module-level functions use.
 * @example defaultPasswordHashers().preferred.algorithm // 'argon2'
 */
export function defaultPasswordHashers(): PasswordHasherRegistry {
  return current;
}

/**
 * Hash a password with the preferred hasher (argon2id); `null` makes an unusable password.
 * @example user.password = await makePassword('correct horse battery staple');
 */
export function makePassword(password: string | null): Promise<string> {
  return current.makePassword(password);
}

/**
 * Verify a password against a stored hash in constant time; see PasswordHasherRegistry.checkPassword.
 * @example if (await checkPassword(password, user.password, { setter: (hash) => saveHash(user, hash) })) login();
 */
export function checkPassword(password: string, encoded: string | null | undefined, options: { setter?: PasswordSetter } = {}): Promise<boolean> {
  return current.checkPassword(password, encoded, options);
}

/**
 * Cost one verification and return false (for unknown usernames).
 * @example if (!user) return dummyVerify(password);
 */
export function dummyVerify(password: string): Promise<false> {
  return current.dummyVerify(password);
}
