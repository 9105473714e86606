import { afterAll, expect, it } from 'vitest';
import type { Application } from '@atrium/core';
import { TestClient } from '@atrium/core/testing';
import { MigrationExecutor, MigrationLoader, resolveTargets } from '@atrium/orm/migrations';
import authApp, { postMigrate } from '../src/app.js';
import { Permission, createUser } from '../src/index.js';
import { logIn } from './support/browser.js';
import { forEachDatabase } from './support/databases.js';
import { siteApplication } from './support/site.js';

/**
 * The auth app's own migration (packages/auth/migrations/0001_initial.ts,
 * written by makemigrations) builds a schema the auth code works on, and
 * the post-migrate step creates the permissions of the installed models.
 */
forEachDatabase(
  'auth migrations',
  () => {
    let app: Application | null = null;
    afterAll(() => app?.close());

    it('0001_initial creates the tables; postMigrate creates view/add/change/delete permissions once', async () => {
      app = await siteApplication();
      // Before auth's migration ran there is no auth_permission table: nothing to do, no error.
      expect(await postMigrate(app.context)).toBe(0);

      const loader = await MigrationLoader.load([{ label: 'auth', path: authApp.path }]);
      expect(loader.graph.leafNodes('auth')).toEqual(['auth.0001_initial']);
      const steps = await new MigrationExecutor(loader).migrate(resolveTargets(loader.graph));
      expect(steps.map((step) => step.migration.name)).toEqual(['0001_initial']);

      expect(await postMigrate(app.context)).toBe(20);
      expect(await postMigrate(app.context)).toBe(0);
      const codenames = await Permission.objects.filter({ appLabel: 'auth' }).valuesList('codename', { flat: true });
      expect(codenames).toEqual(expect.arrayContaining(['add_user', 'change_group', 'delete_permission', 'view_totpdevice', 'view_sessionrecord']));

      await createUser({ username: 'ann', password: 'ann-password-1' });
      const client = new TestClient(app);
      expect((await logIn(client, 'ann', 'ann-password-1')).status).toBe(302);
    });
  },
  { models: () => [] },
);
