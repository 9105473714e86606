import type Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { StatementCache } from './sqlite-statement-cache.js';

/** A statement that also reads a single row, as better-sqlite3's own statements and the ones below do (see ContextDialect.runNow). */
export type FirstRowStatement = SqliteStatement & { get(parameters: unknown): unknown };

/**
 * What to hand better-sqlite3 for `parameters`: the one value itself when
 * there is one plain value (a primary-key lookup), else the list. The
 * driver binds a list by reading it element by element through V8's API,
 * which costs more than the lookup's bind itself. Objects (blobs) stay in
 * the list: a lone plain object would be read as named parameters.
 */
export function bindable(parameters: readonly unknown[]): unknown {
  if (parameters.length !== 1) return parameters;
  const value = parameters[0];
  return typeof value === 'object' && value !== null ? parameters : value;
}

/**
 * better-sqlite3 returns every INTEGER as a JS number, silently rounding
 * 64-bit values beyond 2^53. For statements that read a column declared
 * `bigint` (BigIntField), read integers exactly and hand them over like
 * pg does for int8: a number when it is safe, else the decimal string
 * (BigIntField.fromDb turns either into a bigint). Other statements take
 * the driver's fast path untouched; the per-SQL decision is cached.
 * Statements come from `statements` (prepared once per SQL text when it caches).
 */
export function exactIntegerDatabase(database: Database.Database, statements: StatementCache = new StatementCache(database, 0)): SqliteDatabase {
  const needsExact = new Map<string, boolean>();
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      const statement = statements.prepare(sql);
      if (!statement.reader) return statement as unknown as SqliteStatement;
      let exact = needsExact.get(sql);
      if (exact === undefined) {
        exact = statement.columns().some((column) => column.type !== null && /^bigint$/i.test(column.type));
        if (needsExact.size >= 1000) needsExact.clear();
        needsExact.set(sql, exact);
      }
      if (!exact) return statement as unknown as SqliteStatement;
      statement.safeIntegers(true);
      const exactStatement: FirstRowStatement = {
        reader: true,
        all: (parameters) => statement.all(parameters as unknown[]).map(normaliseRow),
        // Read by ContextDialect.runNow for a primary-key lookup (one row at most).
        get: (parameters: unknown) => {
          const row = statement.get(parameters);
          return row === undefined ? undefined : normaliseRow(row);
        },
        run: (parameters) => statement.run(parameters as unknown[]),
        *iterate(parameters) {
          for (const row of statement.iterate(parameters as unknown[])) yield normaliseRow(row);
        },
      };
      return exactStatement;
    },
  };
}

function normaliseRow(row: unknown): unknown {
  const record = row as Record<string, unknown>;
  for (const key in record) {
    const value = record[key];
    if (typeof value === 'bigint') {
      const n = Number(value);
      record[key] = Number.isSafeInteger(n) ? n : value.toString();
    }
  }
  return record;
}
