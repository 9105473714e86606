import type { CommandContext, ManagementCommand } from '@atrium/core';
import { hasConnection } from '../db/connections.js';
import { MigrationTargetError } from '../migrations/migrate-errors.js';
import { MigrationRecorder } from '../migrations/recorder.js';
import { databaseAlias, loadProjectMigrations, verbosity, withExitCodes } from '../migrations/migration-command-support.js';

/**
 * `manage showmigrations [APP...] [--plan] [--database alias] [-v]`: every
 * app's migrations, `[X]` applied and `[ ]` pending; with --plan, all of them
 * in the order migrate applies them. -v adds when each was applied.
 * @example
 * // npx manage showmigrations blog
 * // blog
 * //  [X] 0001_initial
 * //  [ ] 0002_add_post_slug
 */
export const showmigrationsCommand: ManagementCommand = {
  name: 'showmigrations',
  description: 'List migrations and whether each is applied ([X]) or pending ([ ]).',
  arguments: [{ name: 'apps', description: 'app labels (all apps when none)', required: false, variadic: true }],
  options: [
    { flags: '--database <alias>', description: 'database alias to look at', default: 'default' },
    { flags: '--plan', description: 'one list in the order migrate applies them, with dependencies' },
    { flags: '-v, --verbose', description: 'show when each migration was applied' },
    { flags: '-q, --quiet', description: 'no output (the exit code says nothing)' },
  ],
  run(context, args, options) {
    return withExitCodes(context, () => showMigrations(context, args, options));
  },
};

async function showMigrations(context: CommandContext, apps: string[], options: Record<string, unknown>): Promise<number> {
  const alias = databaseAlias(context, options);
  const verbose = verbosity(options) === 2;
  const write = (line: string): void => {
    if (verbosity(options) > 0) context.stdout.write(`${line}\n`);
  };
  // A conflicted graph is still worth listing (that is how one finds the two leaves).
  const loader = await loadProjectMigrations(context, { validate: false });
  const graph = loader.graph;
  graph.assertAcyclic();
  const applied = hasConnection(alias) ? await new MigrationRecorder(alias).applied() : new Map<string, Date>();
  const box = (key: string): string => (applied.has(key) ? '[X]' : '[ ]');
  const when = (key: string): string => {
    const at = applied.get(key);
    return verbose && at ? ` (applied ${at.toISOString()})` : '';
  };
  const known = loader.apps.map((app) => app.label);
  for (const app of apps) {
    if (!known.includes(app)) throw new MigrationTargetError(`No installed app '${app}'. Installed apps: ${known.join(', ')}.`);
  }

  if (options['plan'] === true) {
    for (const key of graph.fullPlan()) {
      const migration = graph.migration(key);
      if (apps.length > 0 && !apps.includes(migration.appLabel)) continue;
      const deps = verbose && migration.dependencies.length > 0 ? ` ... (${migration.dependencies.map(([a, n]) => `${a}.${n}`).join(', ')})` : '';
      write(`${box(key)} ${key}${deps}${when(key)}`);
    }
    return 0;
  }
  for (const app of apps.length > 0 ? apps : known) {
    write(app);
    const keys = graph.keys(app);
    if (keys.length === 0) write(' (no migrations)');
    for (const key of keys) {
      write(` ${box(key)} ${graph.migration(key).name}${when(key)}`);
    }
  }
  const conflicts = graph.conflicts();
  for (const [app, names] of Object.entries(conflicts)) {
    context.stderr.write(`Conflicting migrations in ${app}: ${names.join(', ')}; run 'manage makemigrations --merge'.\n`);
  }
  return 0;
}

/** The command `manage` finds in this app's commands/ folder (the file name is the command name). */
export default showmigrationsCommand;
