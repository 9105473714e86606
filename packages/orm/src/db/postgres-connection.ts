import { createRequire } from 'node:module';
import type pg from 'pg';
import { PostgresDialect, type Dialect } from 'kysely';
import { ImproperlyConfigured, type DatabaseSettings } from '@atrium/core';
import { readOptions } from './database-options.js';
import { PoolGate } from './pool-gate.js';

export interface PostgresOptions {
  /** Most connections in the pool (default 10). */
  max: number;
  /** ms an idle connection stays open (default 10 000). */
  idleTimeoutMillis: number;
  /**
   * ms to wait for a connection before failing (default 5000): for a free one
   * in the pool, and, separately, for a new one to open.
   */
  connectionTimeoutMillis: number;
  /** Server-side statement_timeout in ms (default: the server's). */
  statementTimeout?: number;
  /** Schemas to search, comma-separated (`search_path`), set on every connection. */
  searchPath?: string;
  /** Shown in pg_stat_activity (default 'atrium'). */
  applicationName: string;
  /** Passed to pg as `ssl` (true or a tls options object). */
  ssl?: unknown;
  /**
   * Send recurring SQL as named prepared statements (default true). Turn off
   * behind a pooler that does not keep them per client (PgBouncer in
   * transaction mode before 1.21).
   */
  preparedStatements: boolean;
}

const IDENTIFIER_LIST = /^[A-Za-z_][A-Za-z0-9_$]*(,[A-Za-z_][A-Za-z0-9_$]*)*$/;

// OIDs from pg_type.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

/** int8 (count(*), bigint ids) -> number while exact, else the string (BigIntField converts it). */
function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}
const asText = (text: string): string => text;

const require = createRequire(import.meta.url);

let loadedPg: typeof pg | undefined;

/**
 * pg, required when the first PostgreSQL pool is made, so a SQLite project
 * never loads it (synchronously: configureDatabases is). Kept once loaded:
 * getTypeParser below runs for every column of every result, and require()
 * goes through node's module resolution on each call.
 */
function pgModule(): typeof pg {
  return (loadedPg ??= require('pg') as typeof pg);
}

/**
 * Per-pool type parsers (pg's global `types` would change every other pg user
 * in the process): int8 -> number when safe, numeric -> exact string, date ->
 * 'YYYY-MM-DD' (no time-zone shift through a JS Date), timestamptz -> Date.
 */
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (format !== 'binary') {
      if (oid === INT8) return parseInt8;
      if (oid === NUMERIC || oid === DATE) return asText;
    }
    return pgModule().types.getTypeParser(oid, format as 'text') as (value: string) => unknown;
  },
};

export interface PostgresHandle {
  dialect: Dialect;
  pool: pg.Pool;
  /** Every checkout of `pool` goes through it: at most `max` at a time, a wait timed by connectionTimeoutMillis. */
  gate: PoolGate;
  /** OPTIONS.preparedStatements: whether recurring SQL may run as named prepared statements. */
  preparedStatements: boolean;
  /** The last error a pooled connection reported while idle (server restart, network cut). */
  lastError: () => Error | null;
}

/** Build the pg pool for a DATABASES entry and wrap it in a Kysely dialect. */
export function createPostgresDialect(alias: string, settings: DatabaseSettings): PostgresHandle {
  const options = readOptions<PostgresOptions>(alias, settings.OPTIONS, {
    max: { type: 'number', default: 10, min: 1 },
    idleTimeoutMillis: { type: 'number', default: 10_000 },
    connectionTimeoutMillis: { type: 'number', default: 5_000 },
    statementTimeout: { type: 'number' },
    searchPath: { type: 'string' },
    applicationName: { type: 'string', default: 'atrium' },
    ssl: { type: 'unknown' },
    preparedStatements: { type: 'boolean', default: true },
  });
  if (options.searchPath !== undefined && !IDENTIFIER_LIST.test(options.searchPath)) {
    throw new ImproperlyConfigured(`DATABASES['${alias}'].OPTIONS.searchPath must be schema names separated by commas (letters, digits, _), got ${JSON.stringify(options.searchPath)}.`);
  }
  const pgLib = pgModule();
  const connectTimeout = options.connectionTimeoutMillis;
  // Opening a connection is timed by the client; waiting for a pooled one by the gate (pg-pool's own
  // connectionTimeoutMillis would arm a timer for every checkout: see PoolGate).
  class TimedClient extends pgLib.Client {
    constructor(config?: string | pg.ClientConfig) {
      super({ ...(typeof config === 'string' ? { connectionString: config } : config), connectionTimeoutMillis: connectTimeout });
    }
  }
  const pool = new pgLib.Pool({
    host: settings.HOST ?? '127.0.0.1',
    port: settings.PORT ?? 5432,
    database: settings.NAME,
    ...(settings.USER !== undefined ? { user: settings.USER } : {}),
    ...(settings.PASSWORD !== undefined ? { password: settings.PASSWORD } : {}),
    max: options.max,
    idleTimeoutMillis: options.idleTimeoutMillis,
    connectionTimeoutMillis: 0,
    Client: TimedClient,
    ...(options.statementTimeout !== undefined ? { statement_timeout: options.statementTimeout } : {}),
    application_name: options.applicationName,
    // A startup parameter, so every new connection has it before its first query.
    ...(options.searchPath !== undefined ? { options: `-c search_path=${options.searchPath}` } : {}),
    ...(options.ssl !== undefined ? { ssl: options.ssl as pg.PoolConfig['ssl'] } : {}),
    keepAlive: true,
    types: typeParsers,
  });
  let lastError: Error | null = null;
  // Without these listeners a server restart would emit 'error' with no
  // handler and crash the process. The pool drops idle clients that errored;
  // a checked-out client that errored fails its next query and is dropped
  // when released (pg-pool discards clients that are no longer queryable).
  pool.on('error', (error) => {
    lastError = error;
  });
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      lastError = error;
    });
  });
  const gate = new PoolGate(pool, options.max, connectTimeout);
  const gated = { connect: () => gate.connect(), end: () => gate.end() };
  return { dialect: new PostgresDialect({ pool: gated }), pool, gate, preparedStatements: options.preparedStatements, lastError: () => lastError };
}
