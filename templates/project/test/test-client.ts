import { join } from 'node:path';
import { createApplication, type AppConfig } from '@atrium/core';
import { TestClient } from '@atrium/core/testing';
import settings from '../settings.js';
import routes from '../urls.js';

/**
 * Import each INSTALLED_APPS entry's app config, as `manage` does: a package's
 * `/app` export, or the project folder's app.ts (vitest compiles it).
 */
async function installedApps(): Promise<AppConfig[]> {
  const apps: AppConfig[] = [];
  for (const entry of settings.INSTALLED_APPS ?? []) {
    const module = (entry.startsWith('@') ? await import(`${entry}/app`) : await import(`../${entry}/app.ts`)) as { default: AppConfig };
    apps.push(module.default);
  }
  return apps;
}

/**
 * A test client for the whole project: its real settings, apps, middleware
 * and routes, served in process (no server, no socket). Call it after
 * useTestDatabase(), whose database then stands in for DATABASES.
 * @example const client = await testClient(); const response = await client.get('/notes/');
 */
export async function testClient(): Promise<TestClient> {
  const application = await createApplication({
    settings: {
      ...settings,
      // The test client's host is 'testserver'.
      ALLOWED_HOSTS: ['testserver'],
      // No access log lines in the test output.
      MIDDLEWARE: settings.MIDDLEWARE?.filter((name) => name !== 'logging'),
      // useTestDatabase() provides the database; the project's own is never opened by a test.
      DATABASES: {},
    },
    apps: await installedApps(),
    routes,
    root: join(import.meta.dirname, '..'),
  });
  return new TestClient(application);
}

/**
 * Log `client` in through the login page, as a browser does: open the form (it
 * sets the CSRF cookie and token), then post it with the token.
 * @example await logIn(client, 'admin', 'correct horse battery staple');
 */
export async function logIn(client: TestClient, username: string, password: string): Promise<void> {
  const page = await (await client.get('/accounts/login/')).text();
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page)?.[1];
  if (token === undefined) throw new Error('The login page has no CSRF token.');
  const response = await client.post('/accounts/login/', { form: { csrfmiddlewaretoken: token, username, password } });
  if (response.status !== 302) throw new Error(`Logging in as '${username}' failed with status ${response.status}.`);
}
