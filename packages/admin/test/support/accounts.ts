import { expect } from 'vitest';
import { createApplication, include, type Application } from '@atrium/core';
import { TestClient, type TestResponse } from '@atrium/core/testing';
import { throughModel, type AnyModel } from '@atrium/orm';
import ormApp from '@atrium/orm/app';
import authApp from '@atrium/auth/app';
import { Argon2Hasher, Group, User, authModels, authRoutes, registerPasswordHasher } from '@atrium/auth';
import adminApp from '../../src/app.js';
import type { AdminSite } from '../../src/index.js';

/** argon2id at a tiny cost, so tests that create users stay fast (still argon2: the admin hashes with the configured hasher). */
registerPasswordHasher('admin_test_argon2', () => new Argon2Hasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }));

/** The auth tables with their many-to-many join tables, in dependency order. */
export function authTables(): AnyModel[] {
  return [...authModels, throughModel(Group.fields.permissions), throughModel(User.fields.groups), throughModel(User.fields.userPermissions)];
}

/**
 * A project with the real middleware stack ('auth' loads users from the
 * session), the account pages under accounts/ (two-factor pages) and `site`
 * under admin/.
 */
export async function accountsApplication(site: AdminSite, settings: Record<string, unknown> = {}): Promise<{ app: Application; client: TestClient }> {
  const app = await createApplication({
    settings: {
      SECRET_KEY: 'admin-test-secret-key-0123456789abcdefghijklmnop',
      ALLOWED_HOSTS: ['testserver'],
      MIDDLEWARE: ['security', 'sessions', 'common', 'csrf', 'auth', 'messages'],
      SESSION_ENGINE: 'memory',
      PASSWORD_HASHERS: ['admin_test_argon2'],
      AUTH_THROTTLE_DELAY_MS: 0,
      TEMPLATES: { BACKEND: '@atrium/templates', DIRS: [], APP_DIRS: true, OPTIONS: {} },
      ...settings,
    },
    routes: [include('accounts/', authRoutes, { namespace: 'auth' }), include('admin/', site.urls, { namespace: site.name })],
    apps: [ormApp, authApp, adminApp],
    env: {},
  });
  return { app, client: new TestClient(app) };
}

/** The value of a hidden input of a page. */
export function hiddenValue(html: string, name: string): string | undefined {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
}

/** GET a form page (setting the CSRF cookie), then POST `fields` with its token. */
export async function submitForm(client: TestClient, url: string, fields: Record<string, string | string[]>): Promise<TestResponse> {
  const page = await client.get(url);
  const html = await page.text();
  const token = hiddenValue(html, 'csrfmiddlewaretoken');
  expect(token, `no CSRF token in the form at ${url} (status ${page.status})`).toBeDefined();
  return client.post(url, { form: { csrfmiddlewaretoken: token!, ...fields } });
}

/** Log in through the admin's login page. */
export function adminLogIn(client: TestClient, username: string, password: string, next?: string): Promise<TestResponse> {
  return submitForm(client, next === undefined ? '/admin/login/' : `/admin/login/?next=${encodeURIComponent(next)}`, { username, password });
}
