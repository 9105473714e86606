import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, generateRecoveryCodes, generateTotpSecret, hashRecoveryCode, hotp, otpauthUri, totp, useRecoveryCode, verifyTotp } from '../src/index.js';

const SEED_SHA1 = base32Encode(Buffer.from('12345678901234567890'));
const SEED_SHA256 = base32Encode(Buffer.from('12345678901234567890123456789012'));
const SEED_SHA512 = base32Encode(Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'));

// RFC 6238 appendix B: time, expected 8-digit codes for SHA1, SHA256, SHA512.
const vectors: Array<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('RFC 6238 test vectors', () => {
  it.each(vectors)('T=%i', (time, sha1, sha256, sha512) => {
    expect(totp(SEED_SHA1, time, { digits: 8 })).toBe(sha1);
    expect(totp(SEED_SHA256, time, { digits: 8, algorithm: 'sha256' })).toBe(sha256);
    expect(totp(SEED_SHA512, time, { digits: 8, algorithm: 'sha512' })).toBe(sha512);
  });
});

describe('RFC 4226 HOTP test vectors', () => {
  it('matches appendix D', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expect(expected.map((_, counter) => hotp(Buffer.from('12345678901234567890'), counter))).toEqual(expected);
  });
});

describe('verifyTotp', () => {
  const secret = generateTotpSecret();
  const now = 1_700_000_000;

  it('accepts the current code and one step either side, not two', () => {
    expect(verifyTotp(secret, totp(secret, now), { time: now }).ok).toBe(true);
    expect(verifyTotp(secret, totp(secret, now - 30), { time: now }).ok).toBe(true);
    expect(verifyTotp(secret, totp(secret, now + 30), { time: now }).ok).toBe(true);
    expect(verifyTotp(secret, totp(secret, now - 60), { time: now }).ok).toBe(false);
    expect(verifyTotp(secret, totp(secret, now + 60), { time: now }).ok).toBe(false);
  });

  it('tolerates spaces, refuses malformed codes', () => {
    const code = totp(secret, now);
    expect(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, { time: now }).ok).toBe(true);
    expect(verifyTotp(secret, '12345', { time: now }).ok).toBe(false);
    expect(verifyTotp(secret, 'abcdef', { time: now }).ok).toBe(false);
    expect(verifyTotp(secret, '', { time: now }).ok).toBe(false);
  });

  it('refuses a replayed code through lastUsedStep', () => {
    const code = totp(secret, now);
    const first = verifyTotp(secret, code, { time: now });
    expect(first).toEqual({ ok: true, step: Math.floor(now / 30) });
    expect(verifyTotp(secret, code, { time: now + 5, lastUsedStep: first.step }).ok).toBe(false);
    // The previous step's code is refused too once a later one was used.
    expect(verifyTotp(secret, totp(secret, now - 30), { time: now, lastUsedStep: first.step }).ok).toBe(false);
    expect(verifyTotp(secret, totp(secret, now + 30), { time: now + 30, lastUsedStep: first.step }).ok).toBe(true);
  });
});

describe('secrets and URIs', () => {
  it('generates 160-bit base32 secrets', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret).length).toBe(20);
    expect(generateTotpSecret()).not.toBe(secret);
    expect(() => generateTotpSecret(8)).toThrow(/at least 16 bytes/);
  });

  it('round-trips base32 (RFC 4648 vectors)', () => {
    for (const [plain, encoded] of [['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']]) {
      expect(base32Encode(Buffer.from(plain!))).toBe(encoded);
      expect(base32Decode(encoded!.toLowerCase()).toString()).toBe(plain);
    }
    expect(() => base32Decode('MZ1W')).toThrow(/Invalid base32 character "1"/);
  });

  it('builds otpauth:// URIs authenticator apps read', () => {
    expect(otpauthUri({ secret: 'JBSWY3DPEHPK3PXP', accountName: 'ada@example.com', issuer: 'Example Co' })).toBe(
      'otpauth://totp/Example%20Co:ada%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example%20Co',
    );
    expect(otpauthUri({ secret: 'jbsw y3dp', accountName: 'a', issuer: 'X', digits: 8, algorithm: 'sha256', period: 60 })).toBe(
      'otpauth://totp/X:a?secret=JBSWY3DP&issuer=X&algorithm=SHA256&digits=8&period=60',
    );
  });
});

describe('recovery codes', () => {
  it('are single-use and stored only as hashes', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$/);
    const hashes = codes.map(hashRecoveryCode);
    for (const hash of hashes) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashes.some((h, i) => h.includes(codes[i]!))).toBe(false);

    const typed = codes[3]!.toLowerCase().replace(/-/g, ' ');
    const first = useRecoveryCode(typed, hashes);
    expect(first.ok).toBe(true);
    expect(first.remaining).toHaveLength(9);
    const again = useRecoveryCode(codes[3]!, first.remaining);
    expect(again.ok).toBe(false);
    expect(again.remaining).toEqual(first.remaining);
    expect(useRecoveryCode('AAAA-AAAA-AAAA-AAAA', hashes).ok).toBe(false);
  });
});
