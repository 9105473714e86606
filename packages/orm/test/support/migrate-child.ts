/**
 * A separate `migrate` process for the concurrency and crash tests. Reads
 * ATRIUM_CHILD_DATABASE (a DATABASES entry as JSON) and ATRIUM_CHILD_APPS
 * ([{ label, path }] as JSON), migrates every app to its latest migration and
 * prints one JSON line per event: waiting, started, finished, done, error.
 */
import { configureDatabases, closeDatabases } from '../../src/db/connections.js';
import { MigrationExecutor } from '../../src/migrations/executor.js';
import { MigrationLoader } from '../../src/migrations/loader.js';
import { resolveTargets } from '../../src/migrations/plan.js';

const print = (event: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};

try {
  configureDatabases({ default: JSON.parse(process.env['ATRIUM_CHILD_DATABASE']!) }, process.cwd());
  const loader = await MigrationLoader.load(JSON.parse(process.env['ATRIUM_CHILD_APPS']!) as Array<{ label: string; path: string }>);
  const executor = new MigrationExecutor(loader);
  const ran = await executor.migrate(resolveTargets(loader.graph), {
    progress: {
      waiting: (holder) => print({ event: 'waiting', holder }),
      started: (step) => print({ event: 'started', key: `${step.migration.appLabel}.${step.migration.name}` }),
      finished: (step) => print({ event: 'finished', key: `${step.migration.appLabel}.${step.migration.name}` }),
    },
  });
  print({ event: 'done', applied: ran.map((step) => `${step.migration.appLabel}.${step.migration.name}`) });
} catch (error) {
  print({ event: 'error', message: (error as Error).message });
  process.exitCode = 1;
} finally {
  await closeDatabases();
}
