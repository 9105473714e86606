import type { Dialect } from '../fields/field.js';
import { MigrationEditor } from '../schema/migration-editor.js';
import type { MigrationGraph, MigrationKey } from './graph.js';
import { stateBefore } from './migration-states.js';
import { applyOperations, unapplyOperations } from './run-operations.js';

export interface SqlPreviewOptions {
  /** The SQL that unapplies the migration instead. */
  backwards?: boolean;
}

/**
 * The SQL a migration runs on `dialect`, as `sqlmigrate` prints it: each
 * operation's description as a comment, then its statements (literals
 * inlined), inside BEGIN/COMMIT when the migration is atomic. Nothing is
 * executed; no database is needed.
 * @example
 * (await migrationSql(loader.graph, 'blog.0002_add_slug', 'postgres')).join('\n');
 */
export async function migrationSql(graph: MigrationGraph, key: MigrationKey, dialect: Dialect, options: SqlPreviewOptions = {}): Promise<string[]> {
  const migration = graph.migration(key);
  const editor = new MigrationEditor({ dialect });
  const hooks = {
    before: (operation: { describe(): string }) => editor.comment(operation.describe()),
  };
  const state = stateBefore(graph, key);
  if (options.backwards) await unapplyOperations(migration, state, editor, hooks);
  else await applyOperations(migration, state, editor, hooks);
  const lines: string[] = [];
  if (migration.atomic) lines.push('BEGIN;');
  for (const entry of editor.log) {
    if (entry.kind === 'comment') lines.push('--', `-- ${entry.text.replace(/\n/g, ' ')}`, '--');
    else lines.push(`${entry.sql.trimEnd().replace(/;$/, '')};`);
  }
  if (migration.atomic) lines.push('COMMIT;');
  return lines;
}
