import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Application } from '@atrium/core';
import type { TestClient } from '@atrium/core/testing';
import type { AnyModel } from '@atrium/orm';
import { Group, Permission, User, createUser, syncPermissions } from '@atrium/auth';
import { AdminSite, ADDITION, CHANGE, LogEntry, admin, registerAuthAdmin } from '../src/index.js';
import { accountsApplication, adminLogIn, authTables, hiddenValue, submitForm } from './support/accounts.js';
import { forEachDatabase } from './support/databases.js';

const site = new AdminSite();
registerAuthAdmin(site);

type Row = Record<string, unknown>;

forEachDatabase(
  'User and Group admin',
  () => {
    let app: Application;
    let client: TestClient;
    beforeAll(async () => {
      ({ app, client } = await accountsApplication(site));
    });
    afterAll(() => app.close());

    let boss: Row;
    let ann: Row;
    let staffGroup: Row;
    beforeEach(async () => {
      client.cookies.clear();
      await syncPermissions(app.context);
      boss = (await createUser({ username: 'boss', password: 'boss-password-1', isStaff: true, isSuperuser: true })) as unknown as Row;
      ann = (await createUser({ username: 'ann', password: 'ann-password-1', email: 'ann@example.com', firstName: 'Ann' })) as unknown as Row;
      const viewer = (await createUser({ username: 'viewer', password: 'viewer-password-1', isStaff: true })) as unknown as { userPermissions: { add(...p: unknown[]): Promise<void> } };
      await viewer.userPermissions.add(await Permission.objects.get({ appLabel: 'auth', codename: 'view_user' }));
      staffGroup = (await Group.objects.create({ name: 'Editors <b>' })) as unknown as Row;
      await (ann as unknown as { groups: { add(...g: unknown[]): Promise<void> } }).groups.add(staffGroup);
    });

    it('is registered on the default site by the admin app when auth is installed', () => {
      expect(admin.isRegistered(User)).toBe(true);
      expect(admin.isRegistered(Group)).toBe(true);
    });

    it('lists users with staff, superuser, active and group filters and a search', async () => {
      await adminLogIn(client, 'boss', 'boss-password-1');
      const list = await (await client.get('/admin/auth/user/')).text();
      expect(list).toContain('3 users');
      for (const title of ['By is staff', 'By is superuser', 'By is active', 'By groups']) expect(list).toContain(`<h3>${title}</h3>`);
      expect(list).toContain('Editors &lt;b&gt;');
      const staff = await (await client.get('/admin/auth/user/', { query: { isStaff: '1' } })).text();
      expect(staff).toContain('2 results');
      const grouped = await (await client.get('/admin/auth/user/', { query: { groups: String(staffGroup['id']) } })).text();
      expect(grouped).toContain('1 result ');
      expect(grouped).toMatch(/>ann<\/a>/);
      const noGroup = await (await client.get('/admin/auth/user/', { query: { groups: 'none' } })).text();
      expect(noGroup).toContain('2 results');
      expect(await (await client.get('/admin/auth/user/', { query: { q: 'ann@example' } })).text()).toContain('1 result ');
      for (const query of [{ groups: '<script>x</script>' }, { isStaff: 'maybe' }, { o: 'password' }, { p: '-3' }] as Array<Record<string, string>>) {
        const res = await client.get('/admin/auth/user/', { query });
        expect(res.status, JSON.stringify(query)).toBe(200);
        expect(await res.text()).not.toContain('<script>x');
      }
    });

    it('adds a user with a password typed twice, validated and hashed with argon2', async () => {
      await adminLogIn(client, 'boss', 'boss-password-1');
      const page = await (await client.get('/admin/auth/user/add/')).text();
      expect(page).toContain('name="newPassword1"');
      expect(page).toContain('name="newPassword2"');
      expect(page).not.toContain('name="isSuperuser"');
      const mismatch = await submitForm(client, '/admin/auth/user/add/', { username: '<script>alert(1)</script>', newPassword1: 'a-long-password-1', newPassword2: 'another-password-2' });
      expect(mismatch.status).toBe(200);
      const html = await mismatch.text();
      expect(html).toContain('The two password fields didn’t match.');
      expect(html).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
      expect(html).not.toContain('<script>alert');
      const weak = await submitForm(client, '/admin/auth/user/add/', { username: 'carol', newPassword1: 'password', newPassword2: 'password' });
      expect(await weak.text()).toContain('This password is too common.');
      const taken = await submitForm(client, '/admin/auth/user/add/', { username: 'ann', newPassword1: 'carol-secret-91', newPassword2: 'carol-secret-91' });
      expect(await taken.text()).toContain('A user with that username already exists.');
      expect(await User.objects.count()).toBe(3);
      const done = await submitForm(client, '/admin/auth/user/add/', { username: 'carol', newPassword1: 'carol-secret-91', newPassword2: 'carol-secret-91' });
      expect(done.status).toBe(302);
      const carol = (await User.objects.get({ username: 'carol' })) as unknown as Row & { checkPassword(p: string): Promise<boolean> };
      expect(done.headers.get('location')).toBe(`/admin/auth/user/${String(carol['id'])}/change/`);
      expect(String(carol['password'])).toMatch(/^\$argon2id\$/);
      expect(await carol.checkPassword('carol-secret-91')).toBe(true);
      expect((await LogEntry.objects.get({ objectId: String(carol['id']) })).actionFlag).toBe(ADDITION);
    });

    it('edits groups and permissions with pickers, never showing the password hash', async () => {
      await adminLogIn(client, 'boss', 'boss-password-1');
      const url = `/admin/auth/user/${String(ann['id'])}/change/`;
      const html = await (await client.get(url)).text();
      expect(html).toMatch(/<select name="groups"[^>]*multiple/);
      expect(html).toMatch(/<select name="userPermissions"[^>]*multiple/);
      expect(html).toContain('auth | user | Can add user');
      expect(html).not.toContain('$argon2');
      expect(html).not.toContain('name="password"');
      expect(html).toContain(`<a href="/admin/auth/user/${String(ann['id'])}/password/">Change password</a>`);
      const perm = await Permission.objects.get({ appLabel: 'auth', codename: 'change_group' });
      const saved = await submitForm(client, url, { username: 'ann', firstName: 'Ann', lastName: '', email: 'ann@example.com', isActive: 'on', isStaff: 'on', groups: [], userPermissions: [String(perm.id)] });
      expect(saved.status).toBe(302);
      const after = (await User.objects.get({ username: 'ann' })) as unknown as Row & { groups: { all(): Promise<Row[]> }; userPermissions: { all(): Promise<Row[]> } };
      expect(after['isStaff']).toBe(true);
      expect(await after.groups.all()).toEqual([]);
      expect((await after.userPermissions.all()).map((p) => p['codename'])).toEqual(['change_group']);
      expect((await LogEntry.objects.get({ objectId: String(ann['id']), actionFlag: CHANGE })).changeMessage).toBe('Changed is staff and user permissions.');
    });

    it('sets a password on its own page: validators, hashing, log entry', async () => {
      await adminLogIn(client, 'boss', 'boss-password-1');
      const url = `/admin/auth/user/${String(ann['id'])}/password/`;
      const page = await client.get(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Enter a new password for the user <strong>ann</strong>.');
      const mismatch = await submitForm(client, url, { newPassword1: 'fresh-secret-77', newPassword2: 'fresh-secret-78' });
      expect(await mismatch.text()).toContain('The two password fields didn’t match.');
      const similar = await submitForm(client, url, { newPassword1: 'ann@example.com', newPassword2: 'ann@example.com' });
      expect(await similar.text()).toContain('too similar');
      const done = await submitForm(client, url, { newPassword1: 'fresh-secret-77', newPassword2: 'fresh-secret-77' });
      expect(done.status).toBe(302);
      const after = (await User.objects.get({ username: 'ann' })) as unknown as Row & { checkPassword(p: string): Promise<boolean> };
      expect(await after.checkPassword('fresh-secret-77')).toBe(true);
      expect(String(after['password'])).toMatch(/^\$argon2id\$/);
      expect((await LogEntry.objects.get({ changeMessage: 'Changed password.' })).objectId).toBe(String(ann['id']));
      expect((await client.get(`/admin/auth/user/${String(ann['id'])}/nothing/`)).status).toBe(404);
      expect((await client.get('/admin/auth/user/999999/password/')).status).toBe(404);
      // Changing one's own password keeps one's own session.
      const own = await submitForm(client, `/admin/auth/user/${String(boss['id'])}/password/`, { newPassword1: 'boss-secret-new-5', newPassword2: 'boss-secret-new-5' });
      expect(own.status).toBe(302);
      expect((await client.get('/admin/')).status).toBe(200);
    });

    it('gives a view-only staff user read-only user pages and no password page', async () => {
      await adminLogIn(client, 'viewer', 'viewer-password-1');
      const url = `/admin/auth/user/${String(ann['id'])}/change/`;
      const html = await (await client.get(url)).text();
      expect(html).toContain('<h1>View user</h1>');
      expect(html).not.toContain('name="username"');
      expect(html).not.toContain('Change password');
      expect(html).toContain('Editors &lt;b&gt;');
      const token = hiddenValue(html, 'csrfmiddlewaretoken')!;
      expect((await client.post(url, { form: { csrfmiddlewaretoken: token, username: 'x' } })).status).toBe(403);
      expect((await client.get(`/admin/auth/user/${String(ann['id'])}/password/`)).status).toBe(403);
      expect((await client.post(`/admin/auth/user/${String(ann['id'])}/password/`, { form: { csrfmiddlewaretoken: token, newPassword1: 'zz-secret-123', newPassword2: 'zz-secret-123' } })).status).toBe(403);
      expect((await client.get('/admin/auth/user/add/')).status).toBe(403);
      expect((await client.get('/admin/auth/group/')).status).toBe(403);
    });

    it('edits a group’s permissions', async () => {
      await adminLogIn(client, 'boss', 'boss-password-1');
      const page = await (await client.get('/admin/auth/group/add/')).text();
      expect(page).toMatch(/<select name="permissions"[^>]*multiple/);
      const perms = await Permission.objects.filter({ appLabel: 'auth', codename: { in: ['view_user', 'change_user'] } });
      const saved = await submitForm(client, '/admin/auth/group/add/', { name: 'Support', permissions: perms.map((p) => String(p.id)) });
      expect(saved.status).toBe(302);
      const group = (await Group.objects.get({ name: 'Support' })) as unknown as { permissions: { all(): Promise<Row[]> } };
      expect((await group.permissions.all()).map((p) => p['codename']).sort()).toEqual(['change_user', 'view_user']);
      expect(await (await client.get('/admin/auth/group/', { query: { q: 'supp' } })).text()).toContain('1 result ');
    });
  },
  { models: [...authTables(), LogEntry] as AnyModel[] },
);
