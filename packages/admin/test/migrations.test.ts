import { expect, it } from 'vitest';
import { MigrationExecutor, MigrationLoader, NonInteractiveQuestioner, makeMigrations, resolveTargets } from '@atrium/orm/migrations';
import adminApp from '../src/app.js';
import { ADDITION, LogEntry, logAction } from '../src/index.js';
import { Author } from './support/blog.js';
import { forEachDatabase } from './support/databases.js';

/**
 * The admin app's own migration (packages/admin/migrations/0001_initial.ts,
 * written by makemigrations) creates the LogEntry table, and matches the
 * declared model: makemigrations has nothing new to write.
 */
forEachDatabase(
  'admin migrations',
  () => {
    it('0001_initial creates the log entry table that logAction() writes to', async () => {
      const loader = await MigrationLoader.load([{ label: 'admin', path: adminApp.path }]);
      expect(loader.graph.leafNodes('admin')).toEqual(['admin.0001_initial']);
      const steps = await new MigrationExecutor(loader).migrate(resolveTargets(loader.graph));
      expect(steps.map((step) => step.migration.name)).toEqual(['0001_initial']);
      const entry = await logAction({ userId: 7, model: Author, objectId: 3, repr: 'Ann', flag: ADDITION });
      expect(entry.actionTime).toBeInstanceOf(Date);
      expect(await LogEntry.objects.filter({ userId: '7' }).count()).toBe(1);
    });

    it('matches the LogEntry model: makemigrations finds no change', async () => {
      const made = await makeMigrations({ apps: [{ label: 'admin', path: adminApp.path }], appLabels: ['admin'], questioner: new NonInteractiveQuestioner(), models: [LogEntry], dryRun: true });
      expect(made).toEqual([]);
    });
  },
  { models: [Author] },
);
