import { ImproperlyConfigured } from '@atrium/core';
import type { Dialect } from '../fields/field.js';
import type { AnyModel } from '../model/model.js';
import { beginTestTransaction, rollbackTestTransaction } from '../db/transaction.js';
import { createTestDatabase, probePostgres, redactUrl, testDatabaseUrl, type TestDatabase, type TestEngine } from './test-database.js';

type Hook = (fn: () => Promise<void> | void) => void;

/** The test runner's lifecycle hooks (vitest's by default). */
export interface TestHooks {
  beforeAll: Hook;
  afterAll: Hook;
  beforeEach: Hook;
  afterEach: Hook;
}

export interface UseTestDatabaseOptions {
  /** Models whose tables are created (their many-to-many join tables too). */
  models: readonly AnyModel[];
  /** 'sqlite' (in memory, the default) or 'postgres' (a temporary schema; URL from ATRIUM_TEST_DATABASE_URL). */
  engine?: TestEngine;
  /** Alias to configure (default 'default'). */
  alias?: string;
  /** PostgreSQL server URL (default ATRIUM_TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test). */
  url?: string;
  /** Wrap each test in a transaction rolled back afterwards (default true). */
  isolate?: boolean;
  /** Lifecycle hooks; defaults to vitest's (imported on demand). */
  hooks?: TestHooks;
}

/** What the fixture gives the test file. */
export interface TestDatabaseHandle {
  readonly alias: string;
  readonly dialect: Dialect;
  /** PostgreSQL: the temporary schema of this file; SQLite: 'main'. */
  readonly schema: string;
}

/**
 * A fresh database for this test file — SQLite in memory or a temporary
 * PostgreSQL schema — with the models' tables; each test runs inside a
 * transaction that is rolled back afterwards, so tests cannot see each
 * other's rows. `atomic()` inside a test becomes a savepoint and its onCommit
 * hooks run when the block completes. Call it at the top level of the file
 * (it registers beforeAll/afterAll/beforeEach/afterEach).
 * @example
 * import { useTestDatabase } from '@atrium/orm/testing';
 * await useTestDatabase({ models: [Author, Post] });
 * it('creates', async () => { await Author.create({ name: 'Ann' }); expect(await Author.objects.count()).toBe(1); });
 */
export async function useTestDatabase(options: UseTestDatabaseOptions): Promise<TestDatabaseHandle> {
  const hooks = options.hooks ?? (await vitestHooks());
  const engine = options.engine ?? 'sqlite';
  const alias = options.alias ?? 'default';
  const url = options.url ?? testDatabaseUrl();
  let database: TestDatabase | null = null;
  const handle: TestDatabaseHandle = {
    alias,
    dialect: engine,
    get schema() {
      return database?.schema ?? '';
    },
  };
  hooks.beforeAll(async () => {
    if (engine === 'postgres') {
      const probe = await probePostgres(url);
      if (!probe.ok) throw new ImproperlyConfigured(`PostgreSQL unreachable at ${redactUrl(url)} (${probe.reason}); start it or set ATRIUM_TEST_DATABASE_URL.`);
    }
    database = await createTestDatabase({ engine, models: options.models, alias, url });
  });
  hooks.afterAll(async () => {
    await database?.teardown();
    database = null;
  });
  if (options.isolate !== false) {
    hooks.beforeEach(() => beginTestTransaction(alias));
    hooks.afterEach(async () => {
      // A test that leaves a dangling foreign key fails here, as it would at commit.
      const failure = await rollbackTestTransaction(alias);
      if (failure) throw failure;
    });
  }
  return handle;
}

async function vitestHooks(): Promise<TestHooks> {
  try {
    // Optional peer: only test files import this module.
    const vitest = (await import('vitest' as string)) as TestHooks;
    return { beforeAll: vitest.beforeAll, afterAll: vitest.afterAll, beforeEach: vitest.beforeEach, afterEach: vitest.afterEach };
  } catch (error) {
    throw new ImproperlyConfigured('useTestDatabase() needs vitest, or pass { hooks: { beforeAll, afterAll, beforeEach, afterEach } } from your test runner.', { cause: error });
  }
}
