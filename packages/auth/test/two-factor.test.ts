import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { json, path, text, type Application, type HttpRequest } from '@atrium/core';
import { TestClient } from '@atrium/core/testing';
import { TotpDevice, User, createUser, getUser, staffRequired, totp } from '../src/index.js';
import { logIn, logOut, submit } from './support/browser.js';
import { forEachDatabase } from './support/databases.js';
import { authTables, siteApplication } from './support/site.js';

const routes = [
  path('whoami/', async (request: HttpRequest) => json({ username: (await getUser(request)).getUsername() })),
  path('staff/', staffRequired(() => text('staff page'))),
];

/** A code for the step after the current one: the enrolment used the current step, and codes are single use. */
const nextCode = (secret: string, steps = 1) => totp(secret, Date.now() / 1000 + 30 * steps);

/** Enrol through the setup page; returns the secret and the recovery codes shown. */
async function enrol(client: TestClient): Promise<{ secret: string; codes: string[]; used: string }> {
  const page = await client.get('/accounts/two-factor/setup/');
  expect(page.status).toBe(200);
  const html = await page.text();
  const secret = /<code class="secret">([A-Z2-7]+)<\/code>/.exec(html)![1]!;
  expect(html).toContain(`otpauth://totp/testserver:ann?secret=${secret}&amp;issuer=testserver`);
  const wrong = await submit(client, '/accounts/two-factor/setup/', { code: '000000' === totp(secret) ? '111111' : '000000' });
  expect(await wrong.text()).toContain('That code is not valid.');
  expect(await TotpDevice.objects.count()).toBe(0);
  const used = totp(secret);
  const done = await submit(client, '/accounts/two-factor/setup/', { code: used });
  expect(done.status).toBe(200);
  expect(done.headers.get('cache-control')).toBe('no-store');
  const codes = [...(await done.text()).matchAll(/<li><code>([A-Z2-7]{4}(?:-[A-Z2-7]{4}){3})<\/code><\/li>/g)].map((m) => m[1]!);
  return { secret, codes, used };
}

forEachDatabase(
  'two-factor authentication',
  (db) => {
    describe('optional 2FA', () => {
      let app: Application;
      beforeAll(async () => {
        app = await siteApplication(routes, { AUTH_THROTTLE_USERNAME_LIMIT: 3 });
      });
      afterAll(() => app.close());
      beforeEach(async () => {
        await db.flush(authTables());
        await createUser({ username: 'ann', email: 'ann@example.com', password: 'ann-password-1' });
      });

      it('enrols with a confirmed code and shows ten recovery codes once', async () => {
        const client = new TestClient(app);
        expect((await client.get('/accounts/two-factor/setup/')).status).toBe(302);
        await logIn(client, 'ann', 'ann-password-1');
        const { codes } = await enrol(client);
        expect(codes).toHaveLength(10);
        expect(new Set(codes).size).toBe(10);
        const device = await TotpDevice.objects.get({ userId: (await User.objects.get({ username: 'ann' })).id });
        // Only hashes are stored.
        expect(device.recoveryCodes).toHaveLength(10);
        expect(device.recoveryCodes.some((hash) => codes.includes(hash))).toBe(false);
        // A new enrolment page shows a new secret and says 2FA is on; nothing shows the old codes again.
        const again = await (await client.get('/accounts/two-factor/setup/')).text();
        expect(again).toContain('Two-factor authentication is on.');
        for (const code of codes) expect(again).not.toContain(code);
      });

      it('asks for the second factor after the password, before logging in', async () => {
        const client = new TestClient(app);
        await logIn(client, 'ann', 'ann-password-1');
        const { secret, used } = await enrol(client);
        await logOut(client);

        const step1 = await logIn(client, 'ann', 'ann-password-1', '/whoami/');
        expect(step1.status).toBe(302);
        expect(step1.headers.get('location')).toBe('/accounts/two-factor/verify/');
        const pendingKey = client.cookies.get('sessionid');
        expect(await (await client.get('/whoami/')).json()).toEqual({ username: '' });

        const bad = await submit(client, '/accounts/two-factor/verify/', { code: '123456' === nextCode(secret) ? '654321' : '123456' });
        expect(await bad.text()).toContain('That code is not valid.');
        // The code already used at enrolment is refused (replay).
        expect(await (await submit(client, '/accounts/two-factor/verify/', { code: used })).text()).toContain('That code is not valid.');

        const ok = await submit(client, '/accounts/two-factor/verify/', { code: nextCode(secret) });
        expect(ok.status).toBe(302);
        expect(ok.headers.get('location')).toBe('/whoami/');
        expect(client.cookies.get('sessionid')).not.toBe(pendingKey);
        expect(await (await client.get('/whoami/')).json()).toEqual({ username: 'ann' });
      });

      it('accepts each recovery code once', async () => {
        const client = new TestClient(app);
        await logIn(client, 'ann', 'ann-password-1');
        const { codes } = await enrol(client);
        await logOut(client);

        await logIn(client, 'ann', 'ann-password-1');
        const used = await submit(client, '/accounts/two-factor/verify/', { code: codes[0]!.toLowerCase() });
        expect(used.status).toBe(302);
        expect(await (await client.get('/whoami/')).json()).toEqual({ username: 'ann' });
        expect((await TotpDevice.objects.first())!.recoveryCodes).toHaveLength(9);
        await logOut(client);

        await logIn(client, 'ann', 'ann-password-1');
        const reused = await submit(client, '/accounts/two-factor/verify/', { code: codes[0]! });
        expect(await reused.text()).toContain('That code is not valid.');
        expect(await (await client.get('/whoami/')).json()).toEqual({ username: '' });
        expect((await submit(client, '/accounts/two-factor/verify/', { code: codes[1]! })).status).toBe(302);
        expect(await (await client.get('/whoami/')).json()).toEqual({ username: 'ann' });
      });

      it('throttles wrong codes', async () => {
        const client = new TestClient(app);
        await logIn(client, 'ann', 'ann-password-1');
        const { secret } = await enrol(client);
        await logOut(client);
        await logIn(client, 'ann', 'ann-password-1');
        const wrong = nextCode(secret) === '000001' ? '000002' : '000001';
        await submit(client, '/accounts/two-factor/verify/', { code: wrong });
        await submit(client, '/accounts/two-factor/verify/', { code: wrong });
        const locked = await submit(client, '/accounts/two-factor/verify/', { code: wrong });
        expect(locked.status).toBe(429);
        expect((await submit(client, '/accounts/two-factor/verify/', { code: nextCode(secret) })).status).toBe(429);
        expect(await (await client.get('/whoami/')).json()).toEqual({ username: '' });
      });

      it('turns off with the password', async () => {
        const client = new TestClient(app);
        await logIn(client, 'ann', 'ann-password-1');
        await enrol(client);
        expect(await (await submit(client, '/accounts/two-factor/disable/', { password: 'wrong' })).text()).toContain('Your password was entered incorrectly.');
        expect(await TotpDevice.objects.count()).toBe(1);
        expect((await submit(client, '/accounts/two-factor/disable/', { password: 'ann-password-1' })).status).toBe(302);
        expect(await TotpDevice.objects.count()).toBe(0);
        await logOut(client);
        expect((await logIn(client, 'ann', 'ann-password-1')).headers.get('location')).toBe('/accounts/profile/');
      });

      it('sends a verify page without a pending login back to the login page', async () => {
        const res = await new TestClient(app).get('/accounts/two-factor/verify/');
        expect(res.status).toBe(302);
        expect(res.headers.get('location')).toBe('/accounts/login/');
      });
    });

    describe('AUTH_REQUIRE_2FA_FOR_STAFF', () => {
      let app: Application;
      beforeAll(async () => {
        app = await siteApplication(routes, { AUTH_REQUIRE_2FA_FOR_STAFF: true });
      });
      afterAll(() => app.close());
      beforeEach(async () => {
        await db.flush(authTables());
        await createUser({ username: 'ann', password: 'ann-password-1', isStaff: true });
      });

      it('sends staff to enrol, and keeps staff pages closed until a second factor passed', async () => {
        const client = new TestClient(app);
        const login = await logIn(client, 'ann', 'ann-password-1', '/staff/');
        expect(login.headers.get('location')).toBe('/accounts/two-factor/setup/?next=%2Fstaff%2F');
        // Logged in, but the staff page asks for the second factor first (none yet: enrol).
        const staff = await client.get('/staff/');
        expect(staff.headers.get('location')).toBe('/accounts/two-factor/verify/?next=%2Fstaff%2F');
        const verify = await client.get('/accounts/two-factor/verify/?next=%2Fstaff%2F');
        expect(verify.headers.get('location')).toBe('/accounts/two-factor/setup/?next=%2Fstaff%2F');

        const { secret } = await enrol(client);
        expect(await (await client.get('/staff/')).text()).toBe('staff page');

        // A new session: password, then code, then the staff page.
        const other = new TestClient(app);
        expect((await logIn(other, 'ann', 'ann-password-1', '/staff/')).headers.get('location')).toBe('/accounts/two-factor/verify/');
        const done = await submit(other, '/accounts/two-factor/verify/', { code: nextCode(secret) });
        expect(done.headers.get('location')).toBe('/staff/');
        expect(await (await other.get('/staff/')).text()).toBe('staff page');
      });
    });
  },
  { models: authTables },
);
