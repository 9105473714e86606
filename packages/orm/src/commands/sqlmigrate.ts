import type { CommandContext, ManagementCommand } from '@atrium/core';
import { migrationKey } from '../migrations/graph.js';
import { MigrationTargetError } from '../migrations/migrate-errors.js';
import { resolveTargets } from '../migrations/plan.js';
import { migrationSql } from '../migrations/sql-preview.js';
import { databaseAlias, databaseDialect, loadProjectMigrations, withExitCodes } from '../migrations/migration-command-support.js';

/**
 * `manage sqlmigrate APP NAME [--backwards] [--database alias]`: print the
 * SQL a migration runs on the configured database's dialect (or, with
 * --backwards, the SQL that unapplies it). Nothing is executed.
 * @example
 * // npx manage sqlmigrate blog 0002
 */
export const sqlmigrateCommand: ManagementCommand = {
  name: 'sqlmigrate',
  description: "Print the SQL of a migration for the database's dialect (nothing runs).",
  arguments: [
    { name: 'app', description: 'app label', required: true },
    { name: 'name', description: 'migration name or unique prefix', required: true },
  ],
  options: [
    { flags: '--database <alias>', description: 'database alias whose dialect to use', default: 'default' },
    { flags: '--backwards', description: 'the SQL that unapplies the migration' },
  ],
  run(context, args, options) {
    return withExitCodes(context, () => sqlMigrate(context, args, options));
  },
};

async function sqlMigrate(context: CommandContext, args: string[], options: Record<string, unknown>): Promise<number> {
  const [app, name] = args;
  if (!app || !name) throw new MigrationTargetError('sqlmigrate needs an app label and a migration name: manage sqlmigrate blog 0002.');
  if (name === 'zero') throw new MigrationTargetError("sqlmigrate needs a migration name, not 'zero'.");
  const alias = databaseAlias(context, options);
  const loader = await loadProjectMigrations(context);
  const [target] = resolveTargets(loader.graph, app, name);
  const lines = await migrationSql(loader.graph, migrationKey(app, target!.name!), databaseDialect(context, alias), { backwards: options['backwards'] === true });
  context.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** The command `manage` finds in this app's commands/ folder (the file name is the command name). */
export default sqlmigrateCommand;
