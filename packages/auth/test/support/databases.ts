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
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { connection, type AnyModel, type Dialect } from '@atrium/orm';
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '@atrium/orm/testing';

export type Engine = 'sqlite' | 'postgres';

export interface DatabaseContext {
  readonly dialect: Dialect;
  /** Delete every row of the given models (dependents first). */
  flush(models: readonly AnyModel[]): Promise<void>;
}

const url = testDatabaseUrl();
const postgres = await probe(url);
let warned = false;

/**
 * `forEachDatabase('login', (db) => { it(...) }, { models })`: one describe
 * block per engine with a fresh database holding the models' tables.
 */
export function forEachDatabase(name: string, suite: (ctx: DatabaseContext) => void, options: { models: () => readonly AnyModel[]; engines?: readonly Engine[] }): void {
  for (const engine of options.engines ?? (['sqlite', 'postgres'] as const)) {
    const title = `${name} [${engine}]`;
    if (engine === 'postgres' && !postgres.ok) {
      if (process.env['ATRIUM_REQUIRE_POSTGRES'] === '1') throw new Error(`PostgreSQL unreachable (${postgres.reason}) and ATRIUM_REQUIRE_POSTGRES=1`);
      if (!warned) {
        warned = true;
        console.warn(`PostgreSQL unreachable: skipping postgres tests (${postgres.reason})`);
      }
      describe.skip(`${title} — PostgreSQL unreachable`, () => suite({ dialect: engine, flush: async () => {} }));
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

async function probe(target: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const client = new pg.Client({ connectionString: target, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  } finally {
    await client.end().catch(() => undefined);
  }
}
