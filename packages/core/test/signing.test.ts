import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Signer, TimestampSigner } from '../src/signing/index.js';
import { BadSignature, SignatureExpired, ImproperlyConfigured } from '../src/errors.js';

// Hoisted above the imports by vitest: wrap timingSafeEqual in a spy so a test can prove the signer compares with it.
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const KEY = 'k'.repeat(50);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

afterEach(() => {
  vi.mocked(crypto.timingSafeEqual).mockClear();
});

describe('Signer', () => {
  it('round-trips a value as value:signature', () => {
    const signer = new Signer({ key: KEY });
    const signed = signer.sign('hello:world');
    expect(signed.startsWith('hello:world:')).toBe(true);
    expect(signed.slice('hello:world:'.length)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(signer.unsign(signed)).toBe('hello:world');
    expect(signer.sign('hello:world')).toBe(signed);
  });

  it('rejects a tampered value or signature', () => {
    const signer = new Signer({ key: KEY });
    const signed = signer.sign('user=1');
    expect(() => signer.unsign(signed.replace('user=1', 'user=2'))).toThrow(BadSignature);
    const lastChar = signed.at(-1) === 'A' ? 'B' : 'A';
    expect(codeOf(() => signer.unsign(signed.slice(0, -1) + lastChar))).toBe('E_BAD_SIGNATURE');
    expect(() => signer.unsign(signed.slice(0, -1))).toThrow(/does not match/);
    expect(() => signer.unsign('no separator here')).toThrow(/No ':' separator/);
    expect(() => signer.unsign(`${signed}x`)).toThrow(BadSignature);
  });

  it('rejects a value signed with another salt or key', () => {
    const signed = new Signer({ key: KEY, salt: 'password-reset' }).sign('42');
    expect(() => new Signer({ key: KEY, salt: 'email-confirm' }).unsign(signed)).toThrow(BadSignature);
    expect(() => new Signer({ key: KEY }).unsign(signed)).toThrow(BadSignature);
    expect(() => new Signer({ key: 'other'.repeat(10), salt: 'password-reset' }).unsign(signed)).toThrow(BadSignature);
    expect(new Signer({ key: KEY, salt: 'password-reset' }).unsign(signed)).toBe('42');
  });

  it('accepts values signed with a fallback key and signs with the current key', () => {
    const oldKey = 'o'.repeat(50);
    const signedWithOld = new Signer({ key: oldKey }).sign('v');
    const rotated = new Signer({ key: KEY, fallbackKeys: [oldKey] });
    expect(rotated.unsign(signedWithOld)).toBe('v');
    expect(rotated.sign('v')).toBe(new Signer({ key: KEY }).sign('v'));
    expect(() => new Signer({ key: KEY }).unsign(signedWithOld)).toThrow(BadSignature);
  });

  it('compares signatures with crypto.timingSafeEqual', () => {
    const signer = new Signer({ key: KEY });
    const signed = signer.sign('v');
    const spy = vi.mocked(crypto.timingSafeEqual);
    expect(signer.unsign(signed)).toBe('v');
    expect(spy).toHaveBeenCalledTimes(1);
    const [given, expected] = spy.mock.calls[0]!;
    expect(Buffer.from(given as Uint8Array).toString()).toBe(signed.split(':')[1]);
    expect(Buffer.from(expected as Uint8Array).toString()).toBe(signer.signature('v'));
  });

  it('signs objects as compact base64url JSON', () => {
    const signer = new Signer({ key: KEY, salt: 'objects' });
    const token = signer.signObject({ user: 42, next: '/admin/', tags: ['a'] });
    expect(token).toMatch(/^[A-Za-z0-9_-]+:[A-Za-z0-9_-]{43}$/);
    const payload = token.split(':')[0]!;
    expect(Buffer.from(payload, 'base64url').toString()).toBe('{"user":42,"next":"/admin/","tags":["a"]}');
    expect(signer.unsignObject(token)).toEqual({ user: 42, next: '/admin/', tags: ['a'] });
    const forged = `${Buffer.from('{"user":1}').toString('base64url')}:${token.split(':')[1]}`;
    expect(() => signer.unsignObject(forged)).toThrow(BadSignature);
    expect(() => signer.unsignObject(signer.sign('not json'))).toThrow(/not a signed object/);
    expect(() => signer.signObject(undefined)).toThrow(TypeError);
  });

  it('refuses an empty key or an ambiguous separator at construction', () => {
    expect(() => new Signer({ key: '' })).toThrow(ImproperlyConfigured);
    expect(() => new Signer({ key: KEY, sep: '_' })).toThrow(/separator/);
    expect(new Signer({ key: KEY, sep: '.' }).sign('a')).toMatch(/^a\./);
  });
});

describe('TimestampSigner', () => {
  function clockAt(seconds: number): { now: () => number; set(s: number): void } {
    let ms = seconds * 1000;
    return { now: () => ms, set: (s) => void (ms = s * 1000) };
  }

  it('round-trips and includes a base62 timestamp', () => {
    const clock = clockAt(1_700_000_000);
    const signer = new TimestampSigner({ key: KEY, now: clock.now });
    const signed = signer.sign('hello');
    const [value, timestamp] = signed.split(':');
    expect(value).toBe('hello');
    expect(timestamp).toBe(signer.timestamp());
    expect(timestamp).toMatch(/^[0-9A-Za-z]+$/);
    expect(signer.unsign(signed)).toBe('hello');
    expect(signer.unsign(signed, { maxAge: 60 })).toBe('hello');
  });

  it('rejects a signature older than maxAge with SignatureExpired', () => {
    const clock = clockAt(1_700_000_000);
    const signer = new TimestampSigner({ key: KEY, now: clock.now });
    const signed = signer.sign('hello');
    clock.set(1_700_000_060);
    expect(signer.unsign(signed, { maxAge: 60 })).toBe('hello');
    clock.set(1_700_000_061);
    expect(() => signer.unsign(signed, { maxAge: 60 })).toThrow(SignatureExpired);
    expect(codeOf(() => signer.unsign(signed, { maxAge: 60 }))).toBe('E_SIGNATURE_EXPIRED');
    expect(() => signer.unsign(signed, { maxAge: 60 })).toThrow(/age 61 s is over the maximum of 60 s/);
    // Without maxAge the age is not checked.
    expect(signer.unsign(signed)).toBe('hello');
    expect(() => signer.unsign(signed, { maxAge: Number.NaN })).toThrow(TypeError);
  });

  it('rejects a tampered timestamp, and a plain Signer value', () => {
    const signer = new TimestampSigner({ key: KEY });
    const signed = signer.sign('v');
    const [value, timestamp, signature] = signed.split(':');
    const later = timestamp!.slice(0, -1) + (timestamp!.endsWith('z') ? 'y' : 'z');
    expect(() => signer.unsign(`${value}:${later}:${signature}`)).toThrow(BadSignature);
    const plain = new Signer({ key: KEY }).sign('v');
    expect(() => signer.unsign(plain)).toThrow(BadSignature);
  });

  it('signs objects with an expiry and accepts fallback keys', () => {
    const clock = clockAt(1_000);
    const oldKey = 'o'.repeat(50);
    const token = new TimestampSigner({ key: oldKey, salt: 's', now: clock.now }).signObject({ id: 1 });
    const signer = new TimestampSigner({ key: KEY, fallbackKeys: [oldKey], salt: 's', now: clock.now });
    expect(signer.unsignObject(token, { maxAge: 10 })).toEqual({ id: 1 });
    clock.set(1_011);
    expect(() => signer.unsignObject(token, { maxAge: 10 })).toThrow(SignatureExpired);
  });
});
