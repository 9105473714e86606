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

/** A prepared statement as runNow() runs it: exact-integer reading applied, and whether it returns rows (read once, not per run). */
export interface PreparedStatement {
  readonly statement: FirstRowStatement;
  readonly reader: boolean;
}

/** The database Kysely's driver prepares on, plus prepareIdle() for ContextDialect.runNow. */
export interface SqliteStatements extends SqliteDatabase {
  /** The statement for `sql`, for a caller that holds the idle connection (see StatementCache.prepareIdle). */
  prepareIdle(sql: string): PreparedStatement;
}

/**
 * better-sqlite3 returns every INTEGER as a JS number, silently rounding
 * 64-bit values beyond 2^53. For statements that read a column declared
 * `bigint` (BigIntField), read integers exactly and hand them over like
 * pg does for int8: a number when it is safe, else the decimal string
 * (BigIntField.fromDb turns either into a bigint). Other statements take
 * the driver's fast path untouched. Statements are prepared once per SQL
 * text (up to `cacheSize` of them, see StatementCache), and the decision is
 * made once per prepared statement.
 */
export function exactIntegerDatabase(database: Database.Database, cacheSize = 0): SqliteStatements {
  const statements = new StatementCache(database, cacheSize, prepared);
  return {
    close: () => database.close(),
    prepare: (sql: string): SqliteStatement => statements.prepare(sql).statement,
    prepareIdle: (sql: string): PreparedStatement => statements.prepareIdle(sql),
  };
}

function prepared(statement: Database.Statement): PreparedStatement {
  const plain = statement as unknown as FirstRowStatement;
  if (!statement.reader) return { statement: plain, reader: false };
  if (!statement.columns().some((column) => column.type !== null && /^bigint$/i.test(column.type))) return { statement: plain, reader: true };
  statement.safeIntegers(true);
  const exact: FirstRowStatement = {
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
  return { statement: exact, reader: true };
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
