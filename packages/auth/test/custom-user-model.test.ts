import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApplication, defineApp, include, json, path, type Application, type HttpRequest } from '@atrium/core';
import { TestClient } from '@atrium/core/testing';
import ormApp from '@atrium/orm/app';
import { f, throughModel } from '@atrium/orm';
import authApp from '../src/app.js';
import { Group, Permission, SessionRecord, TotpDevice, authRoutes, createUser, defineUserModel, getUser, getUserModel, setUserModel, userModelConfig } from '../src/index.js';
import { SECRET_KEY } from './fixtures.js';
import { logIn } from './support/browser.js';
import { forEachDatabase } from './support/databases.js';
import { MIDDLEWARE } from './support/site.js';

/** A project's own user model: e-mail logins, an extra field. */
const Member = defineUserModel(
  'accounts.Member',
  { username: null, email: f.email({ maxLength: 254, unique: true }), displayName: f.string({ maxLength: 80, default: '' }) },
  { usernameField: 'email', requiredFields: ['displayName'] },
);
setUserModel('accounts.Member');

const accountsApp = defineApp({ label: 'accounts', path: import.meta.dirname });

describe('defineUserModel', () => {
  it('has the standard fields, the extra ones, and its own reverse names', () => {
    const names = Member.meta.fields.map((field) => field.name);
    for (const name of ['id', 'email', 'password', 'isActive', 'isStaff', 'isSuperuser', 'lastLogin', 'dateJoined', 'groups', 'userPermissions', 'displayName']) {
      expect(names).toContain(name);
    }
    expect(Member.meta.fieldMap.get('email')!.isUnique).toBe(true);
    expect(userModelConfig(Member)).toEqual({ usernameField: 'email', emailField: 'email', requiredFields: ['displayName'], relatedName: 'members' });
    expect(names).not.toContain('username');
    expect(() => defineUserModel('accounts.Broken', { username: null })).toThrow(/usernameField 'username' must be a unique field/);
  });

  it('refuses a model not declared with defineUserModel', async () => {
    setUserModel('auth.Permission');
    try {
      expect(() => getUserModel()).toThrow(/auth\.Permission is used as the user model but was not declared with defineUserModel\(\)/);
    } finally {
      setUserModel('accounts.Member');
    }
    setUserModel('accounts.Nope');
    try {
      expect(() => getUserModel()).toThrow(/AUTH_USER_MODEL refers to 'accounts\.Nope', which is not declared/);
    } finally {
      setUserModel('accounts.Member');
    }
  });

  it('AUTH_USER_MODEL must name an installed app', async () => {
    await expect(
      createApplication({ settings: { SECRET_KEY, ALLOWED_HOSTS: ['testserver'], AUTH_USER_MODEL: 'shop.Customer' }, routes: [], apps: [authApp], templates: null, env: {} }),
    ).rejects.toThrow(/AUTH_USER_MODEL is 'shop\.Customer', but no installed app has the label 'shop'/);
    await expect(
      createApplication({ settings: { SECRET_KEY, ALLOWED_HOSTS: ['testserver'], AUTH_USER_MODEL: 'accounts' }, routes: [], apps: [authApp], templates: null, env: {} }),
    ).rejects.toThrow(/AUTH_USER_MODEL is "accounts": must be 'app_label\.ModelName'/);
  });

  it("imports the named app's models.ts at start-up when the model is not declared yet", async () => {
    const folder = join(import.meta.dirname, `.tmp-shop-${process.pid}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'models.ts'), "import { defineUserModel } from '../../src/index.js';\nexport const Customer = defineUserModel('shop.Customer');\n");
    try {
      const shop = defineApp({ label: 'shop', path: folder });
      const app = await createApplication({ settings: { SECRET_KEY, ALLOWED_HOSTS: ['testserver'], AUTH_USER_MODEL: 'shop.Customer' }, routes: [], apps: [shop, authApp], templates: null, env: {} });
      expect(getUserModel().name).toBe('shop.Customer');
      expect(userModelConfig(getUserModel()).relatedName).toBe('customers');
      await app.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
      setUserModel('accounts.Member');
    }
  });
});

forEachDatabase(
  'a custom user model',
  (db) => {
    let app: Application;
    beforeAll(async () => {
      app = await createApplication({
        settings: {
          SECRET_KEY,
          ALLOWED_HOSTS: ['testserver'],
          MIDDLEWARE,
          AUTH_USER_MODEL: 'accounts.Member',
          PASSWORD_HASHERS: ['test_argon2'],
          TEMPLATES: { DIRS: [], OPTIONS: { contextProcessors: ['request', 'csrf', 'messages', 'auth'] } },
        },
        routes: [
          include('accounts/', authRoutes, { namespace: 'auth' }),
          path('me/', async (request: HttpRequest) => {
            const user = (await getUser(request)) as unknown as { getUsername(): string; displayName?: string; hasPerm(p: string): Promise<boolean> };
            return json({ username: user.getUsername(), displayName: user.displayName ?? null, canView: await user.hasPerm('blog.view_post') });
          }),
        ],
        apps: [ormApp, accountsApp, authApp],
        env: {},
      });
    });
    afterAll(() => app.close());
    beforeEach(() => db.flush(tables()));

    it('is what getUserModel() returns, and logs in by e-mail', async () => {
      expect(getUserModel()).toBe(Member);
      const member = await createUser({ email: 'Ada@Example.com', password: 'member passphrase 1', displayName: 'Ada' });
      expect(member.email).toBe('Ada@example.com');
      const client = new TestClient(app);
      expect((await logIn(client, 'Ada@example.com', 'member passphrase 1')).status).toBe(302);
      expect(await (await client.get('/me/')).json()).toEqual({ username: 'Ada@example.com', displayName: 'Ada', canView: false });
    });

    it('holds group permissions through its own reverse names', async () => {
      const member = await createUser({ email: 'bo@example.com', password: null });
      const perm = await Permission.objects.create({ appLabel: 'blog', model: 'post', codename: 'view_post', name: 'Can view post' });
      const readers = await Group.objects.create({ name: 'readers' });
      await readers.permissions.add(perm);
      await (member as unknown as { groups: { add(g: unknown): Promise<void> } }).groups.add(readers);
      const loaded = (await Member.objects.get({ email: 'bo@example.com' })) as unknown as { hasPerm(p: string): Promise<boolean> };
      expect(await loaded.hasPerm('blog.view_post')).toBe(true);
      expect(await Group.objects.filter({ members: { email: 'bo@example.com' } } as never).count()).toBe(1);
    });
  },
  { models: () => tables() },
);

function tables() {
  return [Permission, Group, Member, throughModel(Group.fields.permissions), throughModel(Member.fields.groups), throughModel(Member.fields.userPermissions), SessionRecord, TotpDevice];
}
