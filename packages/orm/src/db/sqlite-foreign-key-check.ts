import { sql, type Kysely } from 'kysely';

/** Where a deferred foreign key fails on SQLite: the child table and its column. */
export interface ForeignKeyViolation {
  table: string;
  column: string | null;
  parent: string;
  /** Rows failing. */
  count: number;
}

/**
 * SQLite's "FOREIGN KEY constraint failed" names nothing. While the
 * transaction is still open (SQLite keeps it open when COMMIT fails),
 * `pragma foreign_key_check` finds the offending table and column.
 */
export async function sqliteForeignKeyViolation(executor: Kysely<any>): Promise<ForeignKeyViolation | null> {
  const { rows } = await sql<{ table: string; rowid: number; parent: string; fkid: number }>`pragma foreign_key_check`.execute(executor);
  const first = rows[0];
  if (!first) return null;
  const { rows: keys } = await sql<{ id: number; from: string }>`select id, "from" from pragma_foreign_key_list(${first.table})`.execute(executor);
  const key = keys.find((k) => k.id === first.fkid);
  return { table: first.table, column: key?.from ?? null, parent: first.parent, count: rows.length };
}
