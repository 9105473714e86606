import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BadSignature, createApplication, HttpRequest, path, Signer, text, TimestampSigner } from '@atrium/core';
import { checkProperty, nastyString, withinTime } from './support/fuzz.js';

/**
 * Signed values under any tampering: flipping, inserting or deleting any
 * character, cutting, re-using a signature for another value, another
 * cookie name or salt, or another key — all are refused; only the exact
 * signed text (or one signed with a fallback key) is accepted.
 */
const KEY = 'robustness-signing-secret-key-0123456789-abcdef';
const OLD_KEY = 'robustness-old-secret-key-0123456789-abcdefghij';

const app = await createApplication({
  settings: { SECRET_KEY: KEY, SECRET_KEY_FALLBACKS: [OLD_KEY], ALLOWED_HOSTS: ['testserver'], MIDDLEWARE: ['security', 'common'] },
  templates: null,
  routes: [path('whoami/', (request) => text(request.getSignedCookie('user') ?? '(nobody)'))],
});
const context = app.context;

/** One edit of a string: replace, insert or delete a character, cut it short, or append junk. */
const tamper = fc.record({
  kind: fc.constantFrom('replace', 'insert', 'delete', 'cut', 'append', 'swap-case'),
  at: fc.nat(),
  char: fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }),
});

function applyTamper(signed: string, edit: { kind: string; at: number; char: string }): string {
  const i = edit.at % (signed.length + 1);
  switch (edit.kind) {
    case 'replace':
      return signed.slice(0, i) + edit.char + signed.slice(i + 1);
    case 'insert':
      return signed.slice(0, i) + edit.char + signed.slice(i);
    case 'delete':
      return signed.slice(0, i) + signed.slice(i + 1);
    case 'cut':
      return signed.slice(0, i);
    case 'append':
      return signed + edit.char;
    default: {
      const c = signed[i % Math.max(1, signed.length)] ?? '';
      const swapped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
      return signed.slice(0, i) + swapped + signed.slice(i + 1);
    }
  }
}

/** GET /whoami/ with `cookie`, through the whole application. */
async function whoami(cookie: string): Promise<string> {
  const request = new HttpRequest({ method: 'GET', url: '/whoami/', headers: { host: 'testserver', cookie }, body: null, remoteAddress: '127.0.0.1', encrypted: false });
  const response = await withinTime(app.handle(request), 2_000, 'GET /whoami/');
  if (response.status !== 200) throw new Error(`Cookie ${JSON.stringify(cookie)} gave ${response.status}`);
  return response.textBody ?? '';
}

describe('signed cookie fuzzing: any tampering is rejected', () => {
  // The oracle of the properties below, on fixed cases: if signing itself
  // broke, every forgery would read as missing and the fuzzing would pass.
  it('reads back the exact signed cookie and refuses a one-character change', async () => {
    const good = context.signCookie('user', 'ada');
    expect(await whoami(`user=${good}`)).toBe('ada');
    const last = good.at(-1) === 'A' ? 'B' : 'A';
    expect(await whoami(`user=${good.slice(0, -1)}${last}`)).toBe('(nobody)');
    expect(await whoami(`user=${context.signCookie('prefs', 'ada')}`)).toBe('(nobody)');
  });

  it('a signed cookie value changed in any way reads as missing', async () => {
    await checkProperty(
      'signing: tampered cookie values',
      fc.property(fc.constantFrom('user', 'prefs', 'sessionid'), nastyString, tamper, (name, value, edit) => {
        const signed = context.signCookie(name, value);
        if (context.unsignCookie(name, signed) !== value) throw new Error(`round trip failed for ${JSON.stringify(value)}`);
        const forged = applyTamper(signed, edit);
        if (forged === signed) return;
        const read = context.unsignCookie(name, forged);
        if (read !== undefined) throw new Error(`tampered ${JSON.stringify(forged)} was accepted as ${JSON.stringify(read)}`);
      }),
      500,
    );
  });

  it('a signature moved to another value, cookie name or salt is rejected', async () => {
    await checkProperty(
      'signing: moved signatures',
      fc.property(nastyString, nastyString, fc.constantFrom('user', 'prefs'), fc.constantFrom('', 'a', 'b'), (value, other, name, salt) => {
        const signed = context.signCookie(name, value, salt);
        const signature = signed.slice(signed.lastIndexOf(':'));
        const withoutSignature = signed.slice(0, signed.lastIndexOf(':'));
        const stampAt = withoutSignature.lastIndexOf(':');
        const transplanted = `${other}${withoutSignature.slice(stampAt)}${signature}`;
        if (other !== value && context.unsignCookie(name, transplanted, { salt }) !== undefined) throw new Error('signature accepted for another value');
        if (context.unsignCookie(name === 'user' ? 'prefs' : 'user', signed, { salt }) !== undefined) throw new Error('accepted under another cookie name');
        if (context.unsignCookie(name, signed, { salt: `${salt}x` }) !== undefined) throw new Error('accepted under another salt');
      }),
      400,
    );
  });

  it('only the current key and the fallback keys verify; any other key is refused', async () => {
    await checkProperty(
      'signing: keys and rotation',
      fc.property(nastyString, fc.string({ minLength: 1, maxLength: 60 }), fc.constantFrom('', 'salt-a'), (value, otherKey, salt) => {
        const verifier = new Signer({ key: KEY, fallbackKeys: [OLD_KEY], salt });
        const rotated = new Signer({ key: OLD_KEY, salt }).sign(value);
        if (verifier.unsign(rotated) !== value) throw new Error('a value signed with the fallback key was refused');
        if (otherKey === KEY || otherKey === OLD_KEY) return;
        const foreign = new Signer({ key: otherKey, salt }).sign(value);
        try {
          verifier.unsign(foreign);
        } catch (error) {
          if (error instanceof BadSignature) return;
          throw error;
        }
        throw new Error(`a value signed with ${JSON.stringify(otherKey)} was accepted`);
      }),
      300,
    );
  });

  it('signed objects and timestamps: tampering gives BadSignature, an old stamp SignatureExpired, never another error', async () => {
    let now = Date.UTC(2026, 0, 1);
    const signer = new TimestampSigner({ key: KEY, salt: 'objects', now: () => now });
    await checkProperty(
      'signing: signed objects',
      fc.property(fc.jsonValue({ maxDepth: 3 }), tamper, fc.nat({ max: 10_000 }), (value, edit, ageSeconds) => {
        const signed = signer.signObject(value);
        now += ageSeconds * 1000;
        const forged = applyTamper(signed, edit);
        try {
          const read = signer.unsignObject(forged, { maxAge: 3600 });
          if (forged !== signed) throw new Error(`tampered object ${JSON.stringify(forged)} accepted as ${JSON.stringify(read)}`);
        } catch (error) {
          if (!(error instanceof BadSignature)) throw error;
        } finally {
          now -= ageSeconds * 1000;
        }
      }),
      400,
    );
  });

  it('any Cookie header reaches a view as a missing or valid signed cookie, never a 500', async () => {
    const good = context.signCookie('user', 'ada');
    await checkProperty(
      'signing: any Cookie header',
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), tamper.map((edit) => `user=${applyTamper(good, edit)}`), fc.constant(`user=${good}`)), async (cookie) => {
        const body = await whoami(cookie);
        if (body !== '(nobody)' && body !== 'ada') throw new Error(`Cookie ${JSON.stringify(cookie)} read as ${JSON.stringify(body)}`);
        if (body === 'ada' && !cookie.includes(good)) throw new Error(`a forged cookie ${JSON.stringify(cookie)} was accepted`);
      }),
      300,
    );
  });
});
