import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Application } from '@atrium/core';
import type { AnyModel } from '@atrium/orm';
import type { TestClient } from '@atrium/core/testing';
import { INVALID_LOGIN, User, createUser, enableTotp, generateTotpSecret, totp } from '@atrium/auth';
import { AdminSite, LogEntry } from '../src/index.js';
import { NOT_STAFF_LOGIN } from '../src/views/login-view.js';
import { Author } from './support/blog.js';
import { accountsApplication, adminLogIn, authTables, hiddenValue, submitForm } from './support/accounts.js';
import { forEachDatabase } from './support/databases.js';

const site = new AdminSite();
site.register(Author, { str: (a) => a.name });

async function people() {
  await createUser({ username: 'boss', password: 'boss-password-1', isStaff: true, isSuperuser: true });
  await createUser({ username: 'member', password: 'member-password-1' });
  await createUser({ username: 'gone', password: 'gone-password-1', isStaff: true, isActive: false });
}

forEachDatabase(
  'admin login and logout',
  () => {
    let app: Application;
    let client: TestClient;
    // A fresh application per test: the login throttle's counts live in it.
    beforeEach(async () => {
      ({ app, client } = await accountsApplication(site, { AUTH_THROTTLE_USERNAME_LIMIT: 3 }));
    });
    afterEach(() => app.close());

    it('sends anonymous visitors of any admin page to the admin login with ?next=', async () => {
      for (const url of ['/admin/', '/admin/blog/author/', '/admin/blog/author/add/', '/admin/search/?q=x']) {
        const res = await client.get(url);
        expect(res.status, url).toBe(302);
        expect(res.headers.get('location')).toBe(`/admin/login/?next=${encodeURIComponent(url)}`);
      }
      const page = await client.get('/admin/login/', { query: { next: '"><script>alert(1)</script>' } });
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('name="username"');
      expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain('Log out');
    });

    it('logs active staff in and follows only a safe ?next=', async () => {
      await people();
      const ok = await adminLogIn(client, 'boss', 'boss-password-1', '/admin/blog/author/');
      expect(ok.status).toBe(302);
      expect(ok.headers.get('location')).toBe('/admin/blog/author/');
      const index = await client.get('/admin/');
      expect(index.status).toBe(200);
      const html = await index.text();
      expect(html).toContain('Welcome, <strong>boss</strong>');
      expect(html).toMatch(/<form class="logout-form" method="post" action="\/admin\/logout\/">/);
      // Already in: the login page goes straight on.
      expect((await client.get('/admin/login/')).headers.get('location')).toBe('/admin/');
      await client.post('/admin/logout/', { form: { csrfmiddlewaretoken: hiddenValue(html, 'csrfmiddlewaretoken')! } });
      for (const next of ['https://evil.example/', '//evil.example/', 'javascript:alert(1)']) {
        const res = await adminLogIn(client, 'boss', 'boss-password-1', next);
        expect(res.headers.get('location'), next).toBe('/admin/');
        await client.post('/admin/logout/', { form: { csrfmiddlewaretoken: hiddenValue(await (await client.get('/admin/')).text(), 'csrfmiddlewaretoken')! } });
      }
    });

    it('refuses wrong passwords, users who are not active staff, and throttles', async () => {
      await people();
      const wrong = await adminLogIn(client, 'boss', 'nope');
      expect(wrong.status).toBe(200);
      expect(await wrong.text()).toContain(INVALID_LOGIN.replace(/'/g, '&#39;'));
      for (const [name, password] of [['member', 'member-password-1'], ['gone', 'gone-password-1']] as const) {
        const res = await adminLogIn(client, name, password);
        expect(res.status, name).toBe(200);
        const html = await res.text();
        expect(html).toContain(name === 'member' ? NOT_STAFF_LOGIN : INVALID_LOGIN.replace(/'/g, '&#39;'));
        expect((await client.get('/admin/')).status).toBe(302);
      }
      const hostile = await adminLogIn(client, '<script>alert(1)</script>', 'x');
      expect(await hostile.text()).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
      // The limit is 3 failures per username: the fourth try is locked whatever the password.
      await adminLogIn(client, 'boss', 'nope');
      await adminLogIn(client, 'boss', 'nope');
      const locked = await adminLogIn(client, 'boss', 'boss-password-1');
      expect(locked.status).toBe(429);
      expect(locked.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await client.get('/admin/')).status).toBe(302);
    });

    it('shows a logged-in user who is not staff the login page with a message', async () => {
      await people();
      const res = await submitForm(client, '/accounts/login/', { username: 'member', password: 'member-password-1' });
      expect(res.status).toBe(302);
      const refused = await client.get('/admin/blog/author/');
      expect(refused.headers.get('location')).toBe('/admin/login/?next=%2Fadmin%2Fblog%2Fauthor%2F');
      const html = await (await client.get('/admin/login/?next=%2Fadmin%2F')).text();
      expect(html).toContain('You are authenticated as member, but are not authorized to access this page.');
      expect(html).toContain('name="password"');
      const other = await adminLogIn(client, 'boss', 'boss-password-1');
      expect(other.headers.get('location')).toBe('/admin/');
      expect((await client.get('/admin/')).status).toBe(200);
    });

    it('logs out by POST with a CSRF token only', async () => {
      await people();
      await adminLogIn(client, 'boss', 'boss-password-1');
      expect((await client.get('/admin/logout/')).status).toBe(405);
      expect((await client.post('/admin/logout/')).status).toBe(403);
      expect((await client.get('/admin/')).status).toBe(200);
      const token = hiddenValue(await (await client.get('/admin/')).text(), 'csrfmiddlewaretoken')!;
      const out = await client.post('/admin/logout/', { form: { csrfmiddlewaretoken: token } });
      expect(out.status).toBe(200);
      expect(await out.text()).toContain('<a href="/admin/login/">Log in again</a>');
      expect((await client.get('/admin/')).status).toBe(302);
    });
  },
  { models: [...authTables(), LogEntry, Author] as AnyModel[] },
);

forEachDatabase(
  'admin with AUTH_REQUIRE_2FA_FOR_STAFF',
  () => {
    let app: Application;
    let client: TestClient;
    beforeAll(async () => {
      ({ app, client } = await accountsApplication(site, { AUTH_REQUIRE_2FA_FOR_STAFF: true }));
    });
    afterAll(() => app.close());

    it('sends staff without an authenticator to enrol, and keeps them out until they pass a second factor', async () => {
      await createUser({ username: 'boss', password: 'boss-password-1', isStaff: true, isSuperuser: true });
      const res = await adminLogIn(client, 'boss', 'boss-password-1', '/admin/blog/author/');
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/accounts/two-factor/setup/?next=%2Fadmin%2Fblog%2Fauthor%2F');
      const gated = await client.get('/admin/');
      expect(gated.status).toBe(302);
      expect(gated.headers.get('location')).toBe('/accounts/two-factor/verify/?next=%2Fadmin%2F');
    });

    it('asks staff with an authenticator for a code before the admin lets them in', async () => {
      const boss = await createUser({ username: 'boss', password: 'boss-password-1', isStaff: true, isSuperuser: true });
      const secret = generateTotpSecret();
      expect(await enableTotp(boss, secret, totp(secret))).not.toBeNull();
      const res = await adminLogIn(client, 'boss', 'boss-password-1', '/admin/blog/author/');
      expect(res.headers.get('location')).toBe('/accounts/two-factor/verify/');
      // The password step alone logs nobody in.
      expect((await client.get('/admin/')).headers.get('location')).toBe('/admin/login/?next=%2Fadmin%2F');
      const verified = await submitForm(client, '/accounts/two-factor/verify/', { code: totp(secret, Date.now() / 1000 + 30) });
      expect(verified.status).toBe(302);
      expect(verified.headers.get('location')).toBe('/admin/blog/author/');
      expect((await client.get('/admin/blog/author/')).status).toBe(200);
      expect(await User.objects.count()).toBe(1);
    });
  },
  { models: [...authTables(), LogEntry, Author] as AnyModel[] },
);
