import { Kysely, type CompiledQuery, type QueryResult } from 'kysely';
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { ImproperlyConfigured, type DatabaseSettings, type Settings } from '@atrium/core';
import type { Dialect } from '../fields/field.js';
import type { AnyModel } from '../model/model.js';
import { didYouMean } from '../naming.js';
import { ContextDialect } from './context-dialect.js';
import { createSqliteDialect } from './sqlite-connection.js';
import { createPostgresDialect } from './postgres-connection.js';
import { PostgresStatements } from './postgres-statements.js';

export { sql } from 'kysely';

/** A configured database: what `connection(alias)` returns. */
export interface Connection {
  readonly alias: string;
  readonly dialect: Dialect;
  /** Root Kysely instance. Prefer `executor(alias)`, which is the open transaction inside atomic(). */
  readonly kysely: Kysely<any>;
  readonly settings: DatabaseSettings;
  /** The better-sqlite3 handle (SQLite only). */
  readonly sqlite: Database.Database | null;
  /** The pg pool (PostgreSQL only). */
  readonly pool: pg.Pool | null;
  /**
   * SQLite only: run a compiled statement synchronously when nothing holds
   * the connection (see ContextDialect.runNow); null when it must wait.
   * `oneRow`: at most one row can match, read only the first.
   */
  readonly runNow: ((compiled: CompiledQuery, oneRow?: boolean) => QueryResult<unknown> | null) | null;
  /**
   * PostgreSQL only: run a compiled statement straight on the pool, a
   * `reusable` text as a named prepared statement (see
   * ContextDialect.runPooled); null inside atomic(), where it must run on
   * the transaction's connection.
   */
  readonly runPooled: ((compiled: CompiledQuery, reusable: boolean) => Promise<QueryResult<unknown>> | null) | null;
  /** PostgreSQL only: runPooled() for a SELECT, its rows handed on to `then` (see ContextDialect.runPooledRows). */
  readonly runPooledRows: (<A, T>(compiled: CompiledQuery, reusable: boolean, model: AnyModel, then: (rows: unknown[], arg: A) => T | PromiseLike<T>, arg: A) => Promise<T> | null) | null;
  /** Close it: Kysely's driver, and the pg pool even when only runPooled() used it (Kysely ends only a driver it started). */
  readonly close: () => Promise<void>;
}

export interface ConfigureOptions {
  /** Close and replace aliases that are already configured (default: throw). */
  replace?: boolean;
}

const connections = new Map<string, Connection>();
/** The connection connection() found last: every query asks for its alias, nearly always the same one. */
let lastFound: Connection | null = null;

/**
 * Open (lazily, for PostgreSQL) one Kysely instance per DATABASES alias.
 * SQLite: NAME is a file relative to `root` or ':memory:'; WAL, foreign keys
 * and a busy timeout are set. PostgreSQL: a pg pool sized by OPTIONS.
 * Called by the orm app's ready(); call it yourself in scripts.
 * @example
 * configureDatabases({ default: { ENGINE: 'sqlite', NAME: ':memory:', OPTIONS: {} } }, process.cwd());
 * const { kysely } = connection();
 */
export function configureDatabases(databases: Settings['DATABASES'], root: string, options: ConfigureOptions = {}): void {
  for (const alias of Object.keys(databases)) {
    if (connections.has(alias) && !options.replace) {
      throw new ImproperlyConfigured(`Database '${alias}' is already configured; call closeDatabases() first or pass { replace: true }.`);
    }
  }
  // Forgotten before and after the changes: an alias opened again must not be found as the closed one.
  lastFound = null;
  for (const [alias, settings] of Object.entries(databases)) {
    const previous = connections.get(alias);
    if (previous) {
      connections.delete(alias);
      void previous.close().catch(() => undefined);
    }
    connections.set(alias, openConnection(alias, withDefaults(settings), root));
  }
  lastFound = null;
}

// Callers outside validated settings (scripts, tests) may leave OPTIONS out.
function withDefaults(settings: DatabaseSettings): DatabaseSettings {
  return { ...settings, OPTIONS: settings.OPTIONS ?? {} };
}

function openConnection(alias: string, settings: DatabaseSettings, root: string): Connection {
  if (settings.ENGINE === 'sqlite') {
    const { dialect, database, statements, beginSql } = createSqliteDialect(alias, settings, root);
    const context = new ContextDialect(dialect, alias, { beginSql, statements });
    const kysely = new Kysely<any>({ dialect: context });
    return {
      alias,
      dialect: 'sqlite',
      kysely,
      settings,
      sqlite: database,
      pool: null,
      runNow: (compiled, oneRow) => context.runNow(compiled, oneRow),
      runPooled: null,
      runPooledRows: null,
      close: () => kysely.destroy(),
    };
  }
  if (settings.ENGINE === 'postgres') {
    const { dialect, pool, gate, preparedStatements } = createPostgresDialect(alias, settings);
    const context = new ContextDialect(dialect, alias, { postgres: new PostgresStatements(pool, gate, preparedStatements, alias) });
    const kysely = new Kysely<any>({ dialect: context });
    return {
      alias,
      dialect: 'postgres',
      kysely,
      settings,
      sqlite: null,
      pool,
      runNow: null,
      runPooled: (compiled, reusable) => context.runPooled(compiled, reusable),
      runPooledRows: (compiled, reusable, model, then, arg) => context.runPooledRows(compiled, reusable, model, then, arg),
      close: async () => {
        await kysely.destroy();
        await gate.end();
      },
    };
  }
  throw new ImproperlyConfigured(`DATABASES['${alias}'].ENGINE must be 'sqlite' or 'postgres', got ${JSON.stringify((settings as { ENGINE: unknown }).ENGINE)}.`);
}

/**
 * The configured database `alias` (default 'default').
 * @example
 * const { dialect, kysely } = connection();
 * const rows = await kysely.selectFrom('blog_post').selectAll().execute();
 */
export function connection(alias = 'default'): Connection {
  if (lastFound !== null && lastFound.alias === alias) return lastFound;
  const found = connections.get(alias);
  if (found) return (lastFound = found);
  const known = [...connections.keys()];
  if (known.length === 0) {
    throw new ImproperlyConfigured(
      `Database '${alias}' is not configured: no databases are. Add '@atrium/orm' to INSTALLED_APPS (it configures DATABASES at start-up) or call configureDatabases() in scripts.`,
    );
  }
  throw new ImproperlyConfigured(`Database '${alias}' is not configured${didYouMean(alias, known) || '.'} Configured: ${known.join(', ')}; add '${alias}' to DATABASES.`);
}

/** True when `alias` is configured. */
export function hasConnection(alias = 'default'): boolean {
  return connections.has(alias);
}

/** Every configured alias. */
export function databaseAliases(): string[] {
  return [...connections.keys()];
}

/**
 * Close every connection (or the given aliases): SQLite handles closed, pg
 * pools ended. Registered as the orm app's `close` extension.
 * @example
 * await closeDatabases();
 */
export async function closeDatabases(aliases?: readonly string[]): Promise<void> {
  const targets = aliases ?? [...connections.keys()];
  const closing: Promise<void>[] = [];
  for (const alias of targets) {
    const found = connections.get(alias);
    if (!found) continue;
    connections.delete(alias);
    closing.push(found.close());
  }
  lastFound = null;
  await Promise.all(closing);
}

/**
 * Typed raw Kysely for `alias`, the escape hatch: pass the database interface
 * (generated by the ORM, or your own). Inside atomic() it is bound to the
 * transaction like every other query on the alias.
 * @example
 * interface DB { blog_post: { id: number; title: string } }
 * const titles = await db<DB>().selectFrom('blog_post').select('title').execute();
 */
export function db<DB>(alias = 'default'): Kysely<DB> {
  return connection(alias).kysely as Kysely<DB>;
}
