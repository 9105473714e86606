import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Application } from '@atrium/core';
import { TestClient } from '@atrium/core/testing';
import { PasswordResetTokenGenerator, User, createUser, decodeUid, encodeUid, outbox, setPasswordResetClock } from '../src/index.js';
import { fakeClock, SECRET_KEY } from './fixtures.js';
import { logIn, submit } from './support/browser.js';
import { forEachDatabase } from './support/databases.js';
import { authTables, siteApplication } from './support/site.js';

describe('PasswordResetTokenGenerator', () => {
  const user = { pk: 7, password: '$argon2id$v=19$m=19456,t=2,p=1$abc$def', lastLogin: new Date('2024-01-01T00:00:00Z'), email: 'ann@example.com' };
  const make = (clock: { now: () => number }, options: Partial<ConstructorParameters<typeof PasswordResetTokenGenerator>[0]> = {}) =>
    new PasswordResetTokenGenerator({ secretKey: SECRET_KEY, timeout: 3600, now: clock.now, ...options });

  it('accepts its own token until the timeout, then refuses it', () => {
    const clock = fakeClock();
    const tokens = make(clock);
    const token = tokens.makeToken(user);
    expect(token).toMatch(/^[0-9a-z]+-[0-9a-f]{32}$/);
    expect(tokens.checkToken(user, token)).toBe(true);
    clock.advance(3600_000);
    expect(tokens.checkToken(user, token)).toBe(true);
    clock.advance(1000);
    expect(tokens.checkToken(user, token)).toBe(false);
  });

  it('is invalidated by a new password, a login, a new e-mail; bound to the user', () => {
    const clock = fakeClock();
    const tokens = make(clock);
    const token = tokens.makeToken(user);
    expect(tokens.checkToken({ ...user, password: '$argon2id$other' }, token)).toBe(false);
    expect(tokens.checkToken({ ...user, lastLogin: new Date() }, token)).toBe(false);
    expect(tokens.checkToken({ ...user, email: 'new@example.com' }, token)).toBe(false);
    expect(tokens.checkToken({ ...user, pk: 8 }, token)).toBe(false);
  });

  it('refuses tampered and malformed tokens, and tokens from the future', () => {
    const clock = fakeClock();
    const tokens = make(clock);
    const token = tokens.makeToken(user);
    const [ts, mac] = token.split('-') as [string, string];
    expect(tokens.checkToken(user, `${ts}-${mac.slice(0, -1)}${mac.endsWith('0') ? '1' : '0'}`)).toBe(false);
    expect(tokens.checkToken(user, `${(parseInt(ts, 36) + 100).toString(36)}-${mac}`)).toBe(false);
    for (const bad of ['', 'x', `${ts}-`, `-${mac}`, `${ts}-${mac}-x`, 'zzzzzzzzzzzzzzzzzzz-' + mac, null, 42]) expect(tokens.checkToken(user, bad)).toBe(false);
    clock.advance(-10_000);
    expect(tokens.checkToken(user, token)).toBe(false);
  });

  it('accepts tokens signed with a fallback key (key rotation)', () => {
    const clock = fakeClock();
    const old = make(clock, { secretKey: 'an-old-secret-key-of-sufficient-length-000' });
    const token = old.makeToken(user);
    expect(make(clock).checkToken(user, token)).toBe(false);
    expect(make(clock, { fallbackKeys: ['an-old-secret-key-of-sufficient-length-000'] }).checkToken(user, token)).toBe(true);
  });

  it('encodes user keys for URLs and refuses anything else', () => {
    expect(encodeUid(42)).toBe('NDI');
    expect(decodeUid('NDI')).toBe('42');
    for (const bad of ['', 'NDI=', 'N D', '../', 'a'.repeat(200)]) expect(decodeUid(bad)).toBeNull();
  });
});

forEachDatabase(
  'password reset by e-mail',
  (db) => {
    let app: Application;
    let clock: ReturnType<typeof fakeClock>;
    let restoreClock: () => void;
    beforeAll(async () => {
      app = await siteApplication([], { PASSWORD_RESET_TIMEOUT: 3600 });
    });
    afterAll(() => app.close());
    beforeEach(async () => {
      await db.flush(authTables());
      outbox.length = 0;
      clock = fakeClock(Date.now());
      restoreClock = setPasswordResetClock(clock.now);
      await createUser({ username: 'ann', email: 'Ann@Example.com', password: 'ann-password-1' });
    });
    afterEach(() => restoreClock());

    async function requestLink(email: string): Promise<string | null> {
      const client = new TestClient(app);
      const res = await submit(client, '/accounts/password-reset/', { email });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/accounts/password-reset/done/');
      const message = outbox.at(-1);
      if (!message) return null;
      const link = /http:\/\/testserver(\/accounts\/reset\/[^\s]+\/)/.exec(message.body);
      return link ? link[1]! : null;
    }

    it('mails a link to matching active accounts only, answering the same either way', async () => {
      expect(await requestLink('nobody@example.com')).toBeNull();
      expect(outbox).toHaveLength(0);
      const link = await requestLink('ann@EXAMPLE.com');
      expect(link).toMatch(/^\/accounts\/reset\/[A-Za-z0-9_-]+\/[0-9a-z]+-[0-9a-f]{32}\/$/);
      expect(outbox).toHaveLength(1);
      expect(outbox[0]!.to).toEqual(['Ann@example.com']);
      expect(outbox[0]!.subject).toBe('Password reset on testserver');
      expect(outbox[0]!.body).toContain('Your username, in case you’ve forgotten: ann');
      await User.objects.filter({ username: 'ann' }).update({ isActive: false });
      await requestLink('ann@example.com');
      expect(outbox).toHaveLength(1);
    });

    it('sets a new password once: the link is single-use', async () => {
      const link = (await requestLink('ann@example.com'))!;
      const client = new TestClient(app);
      const open = await client.get(link);
      expect(open.status).toBe(302);
      const setPassword = open.headers.get('location')!;
      expect(setPassword).toMatch(/\/set-password\/$/);
      // The token left the URL: the page's own address carries no secret.
      expect(setPassword).not.toContain(link.split('/').at(-2)!);

      const weak = await submit(client, setPassword, { newPassword1: 'password', newPassword2: 'password' });
      expect(weak.status).toBe(200);
      expect(await weak.text()).toContain('This password is too common.');
      const res = await submit(client, setPassword, { newPassword1: 'brand new passphrase 7', newPassword2: 'brand new passphrase 7' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/accounts/reset/done/');
      expect((await logIn(new TestClient(app), 'ann', 'brand new passphrase 7')).status).toBe(302);

      // Used: the same link is now refused, in a new browser as in the same one.
      for (const browser of [new TestClient(app), client]) {
        const again = await browser.get(link);
        expect(again.status).toBe(200);
        expect(await again.text()).toContain('The password reset link was invalid');
      }
      expect(await (await client.get(setPassword)).text()).toContain('The password reset link was invalid');
    });

    it('expires after PASSWORD_RESET_TIMEOUT', async () => {
      const link = (await requestLink('ann@example.com'))!;
      clock.advance(3601_000);
      const res = await new TestClient(app).get(link);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('possibly because it has already been used or has expired');
    });

    it('dies when the password changes another way, and refuses altered links', async () => {
      const link = (await requestLink('ann@example.com'))!;
      const altered = link.replace(/[0-9a-f]\/$/, (c) => (c[0] === '0' ? '1/' : '0/'));
      const otherUser = link.replace(/reset\/[^/]+\//, 'reset/OTk5/');
      for (const bad of [altered, otherUser]) {
        const res = await new TestClient(app).get(bad);
        expect(res.status).toBe(200);
        expect(await res.text()).toContain('The password reset link was invalid');
      }
      const ann = await User.objects.get({ username: 'ann' });
      await ann.setPassword('changed elsewhere 99');
      await ann.save();
      expect(await (await new TestClient(app).get(link)).text()).toContain('The password reset link was invalid');
    });
  },
  { models: authTables },
);
