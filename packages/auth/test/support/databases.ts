/**
 * Run a block of tests once per database engine, as the ORM's own harness
 * (packages/orm/test/support/databases.ts) does — but through the public
 * `@atrium/orm/testing` API, so the models and the connections are those of
 * the @atrium/orm build that @atrium/auth imports (the ORM harness imports
 * the ORM's sources, a second copy with its own connection registry).
 *
 * SQLite runs in memory; PostgreSQL in a temporary schema of
 * ATRIUM_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
 * dropped afterwards, skipped with a printed message when unreachable
 * (ATRIUM_REQUIRE_POSTGRES=1 makes that a failure).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { connection, type AnyModel, type Dialect } from '@atrium/orm';
import { createTestDatabase, probePostgres, skipUnreachablePostgres, testDatabaseUrl, type TestDatabase } from '@atrium/orm/testing';

export type Engine = 'sqlite' | 'postgres';

export interface DatabaseContext {
  readonly dialect: Dialect;
  /** Delete every row of the given models (dependents first). */
  flush(models: readonly AnyModel[]): Promise<void>;
}

const url = testDatabaseUrl();
const postgres = await probePostgres(url);

/**
 * `forEachDatabase('login', (db) => { it(...) }, { models })`: one describe
 * block per engine with a fresh database holding the models' tables.
 */
export function forEachDatabase(name: string, suite: (ctx: DatabaseContext) => void, options: { models: () => readonly AnyModel[]; engines?: readonly Engine[] }): void {
  for (const engine of options.engines ?? (['sqlite', 'postgres'] as const)) {
    const title = `${name} [${engine}]`;
    if (engine === 'postgres' && !postgres.ok) {
      describe.skip(`${title} — ${skipUnreachablePostgres(postgres, url)}`, () => suite({ dialect: engine, flush: async () => {} }));
      continue;
    }
    describe(title, () => {
      let database: TestDatabase | null = null;
      beforeAll(async () => {
        database = await createTestDatabase({ engine, models: options.models(), url });
      });
      afterAll(async () => {
        await database?.teardown();
        database = null;
      });
      suite({
        dialect: engine,
        async flush(models) {
          const kysely = connection('default').kysely;
          for (const model of [...models].reverse()) await kysely.deleteFrom(model.meta.table).execute();
        },
      });
    });
  }
}

