import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { json, path, text, type Application, type HttpRequest } from '@atrium/core';
import { TestClient } from '@atrium/core/testing';
import { captureQueries } from '@atrium/orm';
import {
  INVALID_LOGIN,
  LoginThrottle,
  MemoryThrottleStore,
  ScryptHasher,
  SessionRecord,
  User,
  authSettings,
  createUser,
  getUser,
  loginRequired,
  permissionRequired,
  registerPasswordHasher,
  staffRequired,
  throttleOptions,
  useLoginThrottle,
} from '../src/index.js';
import { fakeClock } from './fixtures.js';
import { logIn, logOut, submit } from './support/browser.js';
import { forEachDatabase } from './support/databases.js';
import { authTables, siteApplication } from './support/site.js';

registerPasswordHasher('test_scrypt', () => new ScryptHasher({ logN: 10 }));

const whoami = async (request: HttpRequest) => {
  const user = await getUser(request);
  return json({ authenticated: user.isAuthenticated, username: user.getUsername() });
};
const routes = [
  path('whoami/', whoami),
  path('plain/', () => text('no user needed')),
  path('visit/', async (request: HttpRequest) => {
    await request.state.session!.set('cart', ['book']);
    return text('visited');
  }),
  path('cart/', async (request: HttpRequest) => json({ cart: (await request.state.session!.get('cart')) ?? null })),
  path('private/', loginRequired(async (request: HttpRequest) => text(`private page of ${(await getUser(request)).getUsername()}`))),
  path('editor/', permissionRequired('blog.change_post', () => text('editor page'))),
  path('staff/', staffRequired(() => text('staff page'))),
  path('sync-user/', async (request: HttpRequest) => {
    const read = () => {
      try {
        return String(request.state.user!.isAuthenticated);
      } catch (error) {
        return (error as { code?: string }).code ?? 'error';
      }
    };
    const before = read();
    await getUser(request);
    return text(`${before} ${read()}`);
  }),
  path('template/', async (request: HttpRequest) =>
    text(
      await request.app.templates!.renderString(
        'anonymous={{ user.isAnonymous }} name={{ user.getUsername() }} change={{ perms.blog.change_post }} any={{ perms.hasModule("blog") }}',
        {},
        request,
      ),
    ),
  ),
];

forEachDatabase(
  'login and logout',
  (db) => {
    let app: Application;
    let clock: ReturnType<typeof fakeClock>;
    beforeAll(async () => {
      app = await siteApplication(routes, { PASSWORD_HASHERS: ['test_argon2', 'test_scrypt'], AUTH_THROTTLE_USERNAME_LIMIT: 3, AUTH_THROTTLE_LOCKOUT: 600 });
    });
    afterAll(() => app.close());
    beforeEach(async () => {
      await db.flush(authTables());
      clock = fakeClock(Date.now());
      useLoginThrottle(app.context, new LoginThrottle(new MemoryThrottleStore({ now: clock.now }), throttleOptions(authSettings(app.context))));
      await createUser({ username: 'ann', email: 'ann@example.com', password: 'ann-password-1' });
      await createUser({ username: 'bob', email: 'bob@example.com', password: 'bob-password-1' });
    });

    it('shows the login form with a CSRF token', async () => {
      const res = await new TestClient(app).get('/accounts/login/?next=/private/');
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('<form method="post"');
      expect(html).toMatch(/name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"/);
      expect(html).toContain('name="username"');
      expect(html).toContain('type="password"');
      expect(html).toContain('name="next" value="/private/"');
    });

    it('logs in: new session key (fixation), CSRF rotated, lastLogin set, user on later requests', async () => {
      const client = new TestClient(app);
      await client.get('/visit/');
      const planted = client.cookies.get('sessionid')!;
      expect(planted).toMatch(/^[A-Za-z0-9_-]{32}$/);
      await client.get('/accounts/login/');
      const csrfBefore = client.cookies.get('csrftoken');

      const res = await logIn(client, 'ann', 'ann-password-1');
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/accounts/profile/');
      const key = client.cookies.get('sessionid')!;
      expect(key).not.toBe(planted);
      expect(client.cookies.get('csrftoken')).not.toBe(csrfBefore);
      // The planted key is gone from the store: an attacker holding it has nothing.
      expect(await SessionRecord.objects.filter({ sessionKey: planted }).exists()).toBe(false);
      // The data of the anonymous session carries over to the same person's login.
      expect(await (await client.get('/cart/')).json()).toEqual({ cart: ['book'] });
      expect(await (await client.get('/whoami/')).json()).toEqual({ authenticated: true, username: 'ann' });
      expect((await User.objects.get({ username: 'ann' })).lastLogin).toBeInstanceOf(Date);
      const attacker = new TestClient(app);
      attacker.cookies.set('sessionid', planted);
      expect(await (await attacker.get('/whoami/')).json()).toEqual({ authenticated: false, username: '' });
    });

    it('request.state.user: AnonymousUser without a session cookie, loaded by getUser() otherwise', async () => {
      const client = new TestClient(app);
      expect(await (await client.get('/sync-user/')).text()).toBe('false false');
      await logIn(client, 'ann', 'ann-password-1');
      expect(await (await client.get('/sync-user/')).text()).toBe('E_USER_NOT_LOADED true');
    });

    it("needs 'sessions' before 'auth' in MIDDLEWARE", async () => {
      await expect(siteApplication([], { MIDDLEWARE: ['auth', 'sessions'] })).rejects.toThrow("MIDDLEWARE must list 'sessions' before 'auth'");
    });

    it('loads the user lazily: a view that never asks costs no query', async () => {
      const client = new TestClient(app);
      await logIn(client, 'ann', 'ann-password-1');
      const quiet = await captureQueries(() => client.get('/plain/'));
      expect(quiet.queries).toEqual([]);
      const asked = await captureQueries(() => client.get('/whoami/'));
      expect(asked.queries.map((q) => q.sql).join('\n')).toMatch(/auth_user/);
    });

    it('refuses wrong passwords, unknown users and inactive users with the same message', async () => {
      await User.objects.filter({ username: 'bob' }).update({ isActive: false });
      for (const [username, password] of [['ann', 'wrong-password'], ['nobody', 'whatever-pass'], ['bob', 'bob-password-1']] as const) {
        const client = new TestClient(app);
        const res = await logIn(client, username, password);
        expect(res.status).toBe(200);
        const html = await res.text();
        expect(html).toContain(INVALID_LOGIN);
        expect(html).toContain(`value="${username}"`);
        expect(html).not.toContain(password);
        expect(await (await client.get('/whoami/')).json()).toEqual({ authenticated: false, username: '' });
      }
    });

    it('redirects to a safe ?next= only', async () => {
      const client = new TestClient(app);
      const anonymous = await client.get('/private/?tab=1');
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get('location')).toBe('/accounts/login/?next=%2Fprivate%2F%3Ftab%3D1');
      const res = await logIn(client, 'ann', 'ann-password-1', '/private/?tab=1');
      expect(res.headers.get('location')).toBe('/private/?tab=1');
      expect(await (await client.get('/private/')).text()).toBe('private page of ann');
      for (const evil of ['https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)']) {
        const other = new TestClient(app);
        const attempt = await logIn(other, 'ann', 'ann-password-1', evil);
        expect(attempt.status).toBe(302);
        expect(attempt.headers.get('location'), evil).toBe('/accounts/profile/');
      }
    });

    it('logs out by POST only, flushing the session server-side', async () => {
      const client = new TestClient(app);
      await logIn(client, 'ann', 'ann-password-1');
      const key = client.cookies.get('sessionid')!;
      const get = await client.get('/accounts/logout/');
      expect(get.status).toBe(405);
      expect(get.headers.get('allow')).toContain('POST');
      expect(await (await client.get('/whoami/')).json()).toMatchObject({ authenticated: true });

      const res = await logOut(client);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('You have been logged out.');
      expect(client.cookies.get('sessionid')).toBeUndefined();
      expect(await SessionRecord.objects.filter({ sessionKey: key }).exists()).toBe(false);
      // A copy of the old cookie is worthless.
      const replay = new TestClient(app);
      replay.cookies.set('sessionid', key);
      expect(await (await replay.get('/whoami/')).json()).toEqual({ authenticated: false, username: '' });
      // Logout without CSRF token is refused (no logout by a cross-site form).
      await logIn(client, 'ann', 'ann-password-1');
      expect((await client.post('/accounts/logout/', { form: {} })).status).toBe(403);
    });

    it("flushes another user's session at login, and keeps the same user's", async () => {
      const client = new TestClient(app);
      await logIn(client, 'ann', 'ann-password-1');
      await client.get('/visit/');
      await logIn(client, 'ann', 'ann-password-1');
      expect(await (await client.get('/cart/')).json()).toEqual({ cart: ['book'] });
      await logIn(client, 'bob', 'bob-password-1');
      expect(await (await client.get('/cart/')).json()).toEqual({ cart: null });
      expect(await (await client.get('/whoami/')).json()).toEqual({ authenticated: true, username: 'bob' });
    });

    it('password change keeps this session and logs out the others', async () => {
      const laptop = new TestClient(app);
      const phone = new TestClient(app);
      await logIn(laptop, 'ann', 'ann-password-1');
      await logIn(phone, 'ann', 'ann-password-1');
      const before = laptop.cookies.get('sessionid');

      const wrongOld = await submit(laptop, '/accounts/password-change/', { oldPassword: 'nope', newPassword1: 'a fresh passphrase 42', newPassword2: 'a fresh passphrase 42' });
      expect(await wrongOld.text()).toContain('Your old password was entered incorrectly.');
      const weak = await submit(laptop, '/accounts/password-change/', { oldPassword: 'ann-password-1', newPassword1: '12345678', newPassword2: '12345678' });
      expect(await weak.text()).toMatch(/This password is (too common|entirely numeric)/);
      const mismatch = await submit(laptop, '/accounts/password-change/', { oldPassword: 'ann-password-1', newPassword1: 'a fresh passphrase 42', newPassword2: 'another' });
      expect(await mismatch.text()).toContain('didn’t match');

      const res = await submit(laptop, '/accounts/password-change/', { oldPassword: 'ann-password-1', newPassword1: 'a fresh passphrase 42', newPassword2: 'a fresh passphrase 42' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/accounts/password-change/done/');
      expect(laptop.cookies.get('sessionid')).not.toBe(before);
      expect(await (await laptop.get('/whoami/')).json()).toEqual({ authenticated: true, username: 'ann' });
      expect(await (await phone.get('/whoami/')).json()).toEqual({ authenticated: false, username: '' });
      expect((await phone.get('/private/')).status).toBe(302);
      expect((await logIn(new TestClient(app), 'ann', 'a fresh passphrase 42')).status).toBe(302);
    });

    it('guards: login for anonymous users, 403 without the permission, staff pages for staff', async () => {
      const client = new TestClient(app);
      expect((await client.get('/editor/')).headers.get('location')).toBe('/accounts/login/?next=%2Feditor%2F');
      await logIn(client, 'ann', 'ann-password-1');
      expect((await client.get('/editor/')).status).toBe(403);
      expect((await client.get('/staff/')).status).toBe(403);
      await User.objects.filter({ username: 'ann' }).update({ isStaff: true, isSuperuser: true });
      expect(await (await client.get('/editor/')).text()).toBe('editor page');
      expect(await (await client.get('/staff/')).text()).toBe('staff page');
    });

    it('throttles failed logins per username with a message that does not reveal the account', async () => {
      const client = new TestClient(app);
      expect((await logIn(client, 'ann', 'wrong-1')).status).toBe(200);
      expect((await logIn(client, 'ann', 'wrong-2')).status).toBe(200);
      const locked = await logIn(client, 'ann', 'wrong-3');
      expect(locked.status).toBe(429);
      expect(locked.headers.get('retry-after')).toBe('600');
      const message = 'Too many failed login attempts. Try again in 10 minutes.';
      expect(await locked.text()).toContain(message);
      // Locked: even the right password is refused, without checking it.
      const right = await logIn(client, 'ann', 'ann-password-1');
      expect(right.status).toBe(429);
      expect(await (await client.get('/whoami/')).json()).toMatchObject({ authenticated: false });
      // An unknown username locks the same way, with the same words.
      for (let i = 0; i < 3; i++) await logIn(client, 'ghost', `guess-${i}`);
      const ghost = await logIn(client, 'ghost', 'guess-4');
      expect(ghost.status).toBe(429);
      expect(await ghost.text()).toContain(message);
      // The lock ends after AUTH_THROTTLE_LOCKOUT.
      clock.advance(601_000);
      expect((await logIn(client, 'ann', 'ann-password-1')).status).toBe(302);
    });

    it('upgrades a hash made by an older hasher at login', async () => {
      const { ScryptHasher: Scrypt } = await import('../src/index.js');
      const legacy = await new Scrypt({ logN: 10 }).encode('legacy-password-1');
      await User.objects.filter({ username: 'bob' }).update({ password: legacy });
      const res = await logIn(new TestClient(app), 'bob', 'legacy-password-1');
      expect(res.status).toBe(302);
      expect((await User.objects.get({ username: 'bob' })).password).toMatch(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);
    });

    it('the auth context processor gives templates the user and perms', async () => {
      const client = new TestClient(app);
      const page = async () => (await client.get('/template/')).text();
      expect(await page()).toBe('anonymous=true name= change=false any=false');
      await logIn(client, 'ann', 'ann-password-1');
      expect(await page()).toBe('anonymous=false name=ann change=false any=false');
      const { Permission } = await import('../src/index.js');
      const perm = await Permission.objects.create({ appLabel: 'blog', model: 'post', codename: 'change_post', name: 'Can change post' });
      await (await User.objects.get({ username: 'ann' })).userPermissions.add(perm);
      expect(await page()).toBe('anonymous=false name=ann change=true any=true');
      await logOut(client);
      expect(await page()).toBe('anonymous=true name= change=false any=false');
    });
  },
  { models: authTables },
);
