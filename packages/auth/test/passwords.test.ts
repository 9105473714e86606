import { describe, expect, it } from 'vitest';
import {
  Argon2Hasher,
  ScryptHasher,
  PasswordHasherRegistry,
  PasswordTooLong,
  UnknownPasswordHasher,
  isPasswordUsable,
  makeUnusablePassword,
  makePassword,
  checkPassword,
  MAX_PASSWORD_LENGTH,
  parseAuthSettings,
} from '../src/index.js';

// Small parameters keep most tests fast; the default-parameter tests below use the real OWASP floor.
const fastArgon = new Argon2Hasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
const fastScrypt = new ScryptHasher({ logN: 10 });

describe('argon2id hashing', () => {
  it('hashes with argon2id at the OWASP minimum by default and verifies', async () => {
    const encoded = await makePassword('correct horse battery staple');
    expect(encoded).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await checkPassword('correct horse battery staple', encoded)).toBe(true);
    expect(await checkPassword('Correct horse battery staple', encoded)).toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([fastArgon.encode('same'), fastArgon.encode('same')]);
    expect(a).not.toBe(b);
    expect(await fastArgon.verify('same', a)).toBe(true);
    expect(await fastArgon.verify('same', b)).toBe(true);
  });

  it('hashes off the event loop: timers keep firing while hashing', async () => {
    const hasher = new Argon2Hasher();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await Promise.all([hasher.encode('a'), hasher.encode('b'), hasher.encode('c')]);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
  });

  it('treats a malformed hash as a mismatch, not a crash', async () => {
    expect(await fastArgon.verify('pw', '$argon2id$garbage')).toBe(false);
    expect(await fastScrypt.verify('pw', 'scrypt$99$8$1$AAAA$BBBB')).toBe(false);
  });

  it('describes a hash by its parameters', async () => {
    expect(fastArgon.describe(await fastArgon.encode('x'))).toEqual({ algorithm: 'argon2id', version: 19, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  });
});

describe('PasswordHasherRegistry upgrades', () => {
  it('rehashes at login when the argon2 parameters changed', async () => {
    const old = new PasswordHasherRegistry([fastArgon]);
    const encoded = await old.makePassword('s3cret-pass');
    const stronger = new PasswordHasherRegistry([new Argon2Hasher({ memoryCost: 2048, timeCost: 2, parallelism: 1 })]);
    let upgraded: string | null = null;
    expect(await stronger.checkPassword('s3cret-pass', encoded, { setter: (hash) => void (upgraded = hash) })).toBe(true);
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=2048,p=1,t=2\$/);
    expect(await stronger.checkPassword('s3cret-pass', upgraded!)).toBe(true);
  });

  it('does not call the setter when the hash is current or the password wrong', async () => {
    const registry = new PasswordHasherRegistry([fastArgon]);
    const encoded = await registry.makePassword('pw-123456');
    let calls = 0;
    expect(await registry.checkPassword('pw-123456', encoded, { setter: () => void calls++ })).toBe(true);
    expect(await registry.checkPassword('wrong', encoded, { setter: () => void calls++ })).toBe(false);
    expect(calls).toBe(0);
  });

  it('upgrades a hash from an older algorithm (scrypt) to the preferred one (argon2)', async () => {
    const scryptHash = await new PasswordHasherRegistry([fastScrypt]).makePassword('legacy-pass');
    expect(scryptHash).toMatch(/^scrypt\$10\$8\$1\$/);
    const registry = new PasswordHasherRegistry([fastArgon, fastScrypt]);
    expect(registry.mustUpdate(scryptHash)).toBe(true);
    let upgraded = '';
    expect(await registry.checkPassword('legacy-pass', scryptHash, { setter: (hash, raw) => void (upgraded = `${hash}|${raw}`) })).toBe(true);
    expect(upgraded).toMatch(/^\$argon2id\$.*\|legacy-pass$/);
  });

  it('refuses a hash no configured hasher handles, naming the algorithm', async () => {
    const registry = new PasswordHasherRegistry([fastArgon]);
    const error = await registry.checkPassword('pw', 'md5$abc$def').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownPasswordHasher);
    expect((error as UnknownPasswordHasher).code).toBe('E_UNKNOWN_PASSWORD_HASHER');
    expect((error as Error).message).toContain("'md5'");
  });

  it('builds from PASSWORD_HASHERS and ARGON2 settings', () => {
    const registry = PasswordHasherRegistry.fromSettings(parseAuthSettings({ PASSWORD_HASHERS: ['scrypt', 'argon2'], ARGON2: { memoryCost: 65_536, timeCost: 3 } }));
    expect(registry.preferred.algorithm).toBe('scrypt');
    expect((registry.hashers[1] as Argon2Hasher).parameters).toEqual({ memoryCost: 65_536, timeCost: 3, parallelism: 1 });
    expect(() => PasswordHasherRegistry.fromSettings(parseAuthSettings({ PASSWORD_HASHERS: ['bcrypt'] }))).toThrow(/PASSWORD_HASHERS lists 'bcrypt'.*known: argon2, scrypt/);
  });
});

describe('unusable passwords and limits', () => {
  it('makes unusable passwords that never verify and are all different', async () => {
    const a = makeUnusablePassword();
    const b = await makePassword(null);
    expect(a).not.toBe(b);
    expect(isPasswordUsable(a)).toBe(false);
    expect(isPasswordUsable(b)).toBe(false);
    expect(isPasswordUsable(null)).toBe(false);
    expect(isPasswordUsable('')).toBe(false);
    expect(await checkPassword(a.slice(1), a)).toBe(false);
    expect(await checkPassword('', a)).toBe(false);
  });

  it('accepts a 64-character password and caps length at 4096 before hashing (413)', async () => {
    const registry = new PasswordHasherRegistry([fastArgon]);
    const long = 'x'.repeat(64);
    expect(await registry.checkPassword(long, await registry.makePassword(long))).toBe(true);
    const max = 'y'.repeat(MAX_PASSWORD_LENGTH);
    expect(await registry.checkPassword(max, await registry.makePassword(max))).toBe(true);
    const started = performance.now();
    const error = await registry.makePassword('z'.repeat(MAX_PASSWORD_LENGTH + 1)).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(20);
    expect(error).toBeInstanceOf(PasswordTooLong);
    expect((error as PasswordTooLong).status).toBe(413);
    expect((error as PasswordTooLong).code).toBe('E_PASSWORD_TOO_LONG');
    expect((error as Error).message).toMatch(/4097 characters long; the maximum is 4096/);
    await expect(registry.checkPassword('z'.repeat(5000), await registry.makePassword('pw'))).rejects.toBeInstanceOf(PasswordTooLong);
  });
});

describe('timing', () => {
  it('an unknown user (dummyVerify) costs about as much as a wrong password for a known one', async () => {
    const registry = new PasswordHasherRegistry([new Argon2Hasher()]);
    const encoded = await registry.makePassword('the-real-password');
    const unusable = makeUnusablePassword();
    await registry.dummyVerify('warm-up');
    const cases = { known: encoded, unknown: null, unusable } as const;
    const samples: Record<keyof typeof cases, number[]> = { known: [], unknown: [], unusable: [] };
    // Interleave the cases round by round, so a burst of load from other test files hits all three alike.
    for (let round = 0; round < 15; round++) {
      for (const name of Object.keys(cases) as Array<keyof typeof cases>) {
        const started = performance.now();
        await registry.checkPassword('a-wrong-password', cases[name]);
        samples[name].push(performance.now() - started);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const known = median(samples.known);
    // The same argon2 work either way: the ratio stays near 1, where skipping the hash would give ~0.01.
    for (const other of [median(samples.unknown), median(samples.unusable)]) {
      expect(other / known).toBeGreaterThan(0.5);
      expect(other / known).toBeLessThan(2);
    }
  });
});
