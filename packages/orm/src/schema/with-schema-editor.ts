import { sql, type Kysely } from 'kysely';
import { connection } from '../db/connections.js';
import { foreignKeyViolationError } from '../db/errors.js';
import { sqliteForeignKeyViolation } from '../db/sqlite-foreign-key-check.js';
import { atomic, executor, inTransaction } from '../db/transaction.js';
import { MigrationEditor } from './migration-editor.js';

export interface SchemaEditorScope {
  /** Database alias (default 'default'). */
  using?: string;
  /**
   * Run in one transaction (default true): every change, and anything `fn`
   * does through the ORM, commits together or not at all. False for
   * statements PostgreSQL refuses inside a transaction (CREATE INDEX
   * CONCURRENTLY).
   */
  atomic?: boolean;
}

/**
 * Run schema changes (and data changes) as one unit, the way the migration
 * executor runs each migration. On SQLite, foreign key enforcement is turned
 * off around the transaction (table rebuilds need it; the setting cannot
 * change inside a transaction) and `pragma foreign_key_check` must pass
 * before the commit, so no broken reference is ever committed. On
 * PostgreSQL, deferred constraints are checked before the commit too.
 * @example
 * await withSchemaEditor(async (editor) => {
 *   await editor.addField(Post, slugField);
 * });
 */
export async function withSchemaEditor<T>(fn: (editor: MigrationEditor) => Promise<T>, scope: SchemaEditorScope = {}): Promise<T> {
  const alias = scope.using ?? 'default';
  const { dialect, kysely } = connection(alias);
  const toggle = dialect === 'sqlite' && !inTransaction(alias);
  if (toggle) await sql`pragma foreign_keys = off`.execute(kysely);
  try {
    const body = async (): Promise<T> => {
      const run = executor(alias);
      const value = await fn(new MigrationEditor({ dialect, executor: run, alias }));
      await checkConstraints(dialect, executor(alias));
      return value;
    };
    return scope.atomic === false ? await body() : await atomic(body, { using: alias });
  } finally {
    if (toggle) await sql`pragma foreign_keys = on`.execute(kysely);
  }
}

/**
 * Fail now, naming the table, if a row points at a missing row: SQLite's
 * `pragma foreign_key_check` (enforcement is off during migrations), or
 * PostgreSQL's deferred constraints made immediate.
 */
export async function checkConstraints(dialect: 'sqlite' | 'postgres', run: Kysely<any>): Promise<void> {
  if (dialect === 'postgres') {
    await sql`set constraints all immediate`.execute(run);
    await sql`set constraints all deferred`.execute(run);
    return;
  }
  const violation = await sqliteForeignKeyViolation(run);
  if (violation) {
    throw foreignKeyViolationError(
      violation.table,
      violation.column,
      new Error(`${violation.count} row(s) of ${violation.table} point at missing ${violation.parent} rows`),
    );
  }
}
