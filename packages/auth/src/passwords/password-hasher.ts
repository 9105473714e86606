/**
 * One password hashing algorithm. Encoded hashes carry their algorithm and
 * parameters, so a hasher can tell when a stored hash is weaker than what it
 * would produce today (`mustUpdate`) and the registry can upgrade it at login.
 */
export interface PasswordHasher {
  /** Name used in PASSWORD_HASHERS ('argon2'). */
  readonly algorithm: string;
  /** True when `encoded` was produced by this algorithm (any parameters). */
  handles(encoded: string): boolean;
  /** Hash with a fresh random salt. Must not block the event loop. */
  encode(password: string): Promise<string>;
  /** Compare in constant time; false (never a throw) for a malformed hash. */
  verify(password: string, encoded: string): Promise<boolean>;
  /** True when `encoded` used other parameters than this hasher's current ones. */
  mustUpdate(encoded: string): boolean;
  /** Parameters of `encoded`, for display (the admin's password field); never the hash itself. */
  describe(encoded: string): Readonly<Record<string, string | number>>;
}
