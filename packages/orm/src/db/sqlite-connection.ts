import { isAbsolute, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteDialect, type Dialect } from 'kysely';
import { ImproperlyConfigured, type DatabaseSettings } from '@atrium/core';
import { registerSqliteFunctions } from '../query/sqlite-functions.js';
import { sqliteRegexp } from './sqlite-regexp.js';
import { readOptions } from './database-options.js';
import { exactIntegerDatabase, type SqliteStatements } from './sqlite-exact-integers.js';

export interface SqliteOptions {
  /** ms a write waits for another process's lock before SQLITE_BUSY (default 5000). */
  busyTimeout: number;
  /** Journal mode for file databases (default 'wal'; ignored for ':memory:'). */
  journalMode: 'wal' | 'delete' | 'truncate' | 'persist' | 'memory' | 'off';
  /** Open read-only (default false). */
  readonly: boolean;
  /**
   * How transactions begin (default 'immediate': take the write lock at
   * BEGIN, so a read-then-write transaction waits busyTimeout for another
   * process instead of failing at once with SQLITE_BUSY).
   */
  transactionMode: 'deferred' | 'immediate' | 'exclusive';
  /** Prepared statements kept for reuse, by SQL text (default 100; 0 prepares every statement anew). */
  statementCacheSize: number;
}

/** Open the better-sqlite3 database for a DATABASES entry and wrap it in a Kysely dialect. */
export function createSqliteDialect(
  alias: string,
  settings: DatabaseSettings,
  root: string,
): { dialect: Dialect; database: Database.Database; statements: SqliteStatements; beginSql: string } {
  const options = readOptions<SqliteOptions>(alias, settings.OPTIONS, {
    busyTimeout: { type: 'number', default: 5000 },
    journalMode: { type: 'string', default: 'wal', oneOf: ['wal', 'delete', 'truncate', 'persist', 'memory', 'off'] },
    readonly: { type: 'boolean', default: false },
    transactionMode: { type: 'string', default: 'immediate', oneOf: ['deferred', 'immediate', 'exclusive'] },
    statementCacheSize: { type: 'number', default: 100 },
  });
  const memory = settings.NAME === ':memory:';
  const file = memory ? ':memory:' : isAbsolute(settings.NAME) ? settings.NAME : resolve(root, settings.NAME);
  let database: Database.Database;
  try {
    database = new Database(file, { readonly: options.readonly, timeout: options.busyTimeout });
  } catch (error) {
    throw new ImproperlyConfigured(`DATABASES['${alias}']: cannot open SQLite database '${file}': ${(error as Error).message}. Check NAME and that its folder exists.`, { cause: error });
  }
  if (!memory && !options.readonly) database.pragma(`journal_mode = ${options.journalMode}`);
  database.pragma('foreign_keys = ON');
  database.pragma(`busy_timeout = ${Math.trunc(options.busyTimeout)}`);
  // `x REGEXP y` calls regexp(y, x).
  database.function('regexp', { deterministic: true }, sqliteRegexp);
  // atrium_lower and atrium_iregexp, which the query compiler uses on SQLite.
  registerSqliteFunctions(database);
  const statements = exactIntegerDatabase(database, Math.trunc(options.statementCacheSize));
  return { dialect: new SqliteDialect({ database: statements }), database, statements, beginSql: `begin ${options.transactionMode}` };
}
