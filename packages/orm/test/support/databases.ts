/**
 * Shared test harness: run a block of tests once per database engine.
 *
 *   forEachDatabase('queries', (ctx) => {
 *     it('filters', async () => { ... ctx.dialect ... });
 *   }, { models: [Author, Post] });
 *
 * Each engine gets a fresh database for the file, configured as the
 * 'default' alias: SQLite in memory, PostgreSQL a temporary schema (unique
 * per process) in the database of ATRIUM_TEST_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test), dropped afterwards. The models'
 * tables (and many-to-many join tables) are created before the first test.
 * When PostgreSQL is unreachable its block is skipped with a printed
 * message; with ATRIUM_REQUIRE_POSTGRES=1 (CI) it fails instead.
 */
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import type { Kysely } from 'kysely';
import type { Dialect } from '../../src/fields/field.js';
import type { AnyModel } from '../../src/model/model.js';
import { connection } from '../../src/db/connections.js';
import { beginTestTransaction, rollbackTestTransaction } from '../../src/db/transaction.js';
import { withJoinModels } from '../../src/schema/create-tables.js';
import {
  adminQuery as runAdminQuery,
  createTestDatabase,
  postgresSettingsFromUrl,
  probePostgres,
  redactUrl as redact,
  type TestDatabase,
} from '../../src/testing/test-database.js';
import { skipUnreachablePostgres, type PostgresStatus } from '../../src/testing/postgres-availability.js';

export type Engine = 'sqlite' | 'postgres';

export const POSTGRES_URL = process.env['ATRIUM_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface DatabaseContext {
  /** 'sqlite' or 'postgres' (the engine of this describe block). */
  readonly dialect: Dialect;
  /** Alias the database is configured under ('default'). */
  readonly alias: string;
  /** Root Kysely of the alias (valid once beforeAll ran). */
  readonly kysely: Kysely<any>;
  /** PostgreSQL: the temporary schema of this file; SQLite: 'main'. */
  readonly schema: string;
  /** Delete every row of the file's models (dependents first). */
  flush(): Promise<void>;
}

export interface ForEachDatabaseOptions {
  /** Models whose tables are created (join tables of their many-to-many fields included). */
  models?: readonly AnyModel[] | (() => readonly AnyModel[]);
  /** Run each test in a transaction rolled back afterwards (default false). */
  isolate?: boolean;
  /** Only these engines (default both). */
  engines?: readonly Engine[];
}

export type DatabaseSuite = (ctx: DatabaseContext) => void;

/** Result of one connection attempt per process, made before the suites are collected. */
const postgresStatus: PostgresStatus = await probePostgres(POSTGRES_URL);

export function forEachDatabase(name: string, suite: DatabaseSuite, options?: ForEachDatabaseOptions): void;
export function forEachDatabase(suite: DatabaseSuite, options?: ForEachDatabaseOptions): void;
export function forEachDatabase(a: string | DatabaseSuite, b?: DatabaseSuite | ForEachDatabaseOptions, c?: ForEachDatabaseOptions): void {
  const name = typeof a === 'string' ? a : 'orm';
  const suite = (typeof a === 'string' ? b : a) as DatabaseSuite;
  const options = (typeof a === 'string' ? c : (b as ForEachDatabaseOptions | undefined)) ?? {};
  for (const engine of options.engines ?? (['sqlite', 'postgres'] as const)) {
    const title = `${name} [${engine}]`;
    if (engine === 'postgres' && !postgresStatus.ok) {
      describe.skip(`${title} — ${skipUnreachablePostgres(postgresStatus, POSTGRES_URL)}`, () => suite(placeholder(engine)));
      continue;
    }
    describe(title, () => {
      const ctx = engineContext(engine, options);
      suite(ctx);
    });
  }
}

function engineContext(engine: Engine, options: ForEachDatabaseOptions): DatabaseContext {
  const models = (): readonly AnyModel[] => (typeof options.models === 'function' ? options.models() : (options.models ?? []));
  let database: TestDatabase | null = null;
  const ctx: DatabaseContext = {
    dialect: engine,
    alias: 'default',
    get schema() {
      return database?.schema ?? '';
    },
    get kysely() {
      return connection('default').kysely;
    },
    async flush() {
      const kysely = connection('default').kysely;
      for (const model of (await withJoinModels(models())).reverse()) await kysely.deleteFrom(model.meta.table).execute();
    },
  };

  beforeAll(async () => {
    database = await createTestDatabase({ engine, models: models(), url: POSTGRES_URL });
  });
  afterAll(async () => {
    await database?.teardown();
    database = null;
  });
  if (options.isolate) {
    beforeEach(() => beginTestTransaction('default'));
    afterEach(async () => {
      const failure = await rollbackTestTransaction('default');
      if (failure) throw failure;
    });
  }
  return ctx;
}

/** DATABASES entry for the test server with `searchPath` pinned to `schema` on every pooled connection. */
export function postgresSettings(schema: string, extraOptions: Record<string, unknown> = {}) {
  return postgresSettingsFromUrl(POSTGRES_URL, { searchPath: schema, max: 4, ...extraOptions });
}

/** Whether PostgreSQL answered the probe (tests that manage their own pg connections check this). */
export function postgresAvailable(): boolean {
  return postgresStatus.ok;
}

/** Run one statement on a short-lived admin connection (schema create/drop, pg_terminate_backend). */
export function adminQuery(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  return runAdminQuery(POSTGRES_URL, text, values);
}

function placeholder(engine: Engine): DatabaseContext {
  return {
    dialect: engine,
    alias: 'default',
    schema: '',
    get kysely(): Kysely<any> {
      throw new Error('PostgreSQL is unreachable; this suite is skipped');
    },
    flush: () => Promise.reject(new Error('PostgreSQL is unreachable; this suite is skipped')),
  };
}
