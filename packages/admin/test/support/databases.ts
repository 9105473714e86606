/**
 * Run a block of tests once per database engine, as the ORM's shared
 * harness (packages/orm/test/support/databases.ts) does, but through the
 * public `@atrium/orm/testing` API: forms import `@atrium/orm` (the built
 * package), and the harness configures the ORM's source modules, which
 * would be a second, unconfigured copy of the connection registry.
 * PostgreSQL is skipped with a printed message when unreachable (failing
 * instead with ATRIUM_REQUIRE_POSTGRES=1).
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import type { AnyModel } from '@atrium/orm';
import { testDatabaseUrl, useTestDatabase, type TestEngine } from '@atrium/orm/testing';

const url = testDatabaseUrl();
const postgres = await probe(url);
let warned = false;

async function probe(connectionString: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function forEachDatabase(name: string, suite: (engine: TestEngine) => void, options: { models: readonly AnyModel[]; isolate?: boolean }): void {
  for (const engine of ['sqlite', 'postgres'] as const) {
    if (engine === 'postgres' && !postgres.ok) {
      if (process.env['ATRIUM_REQUIRE_POSTGRES'] === '1') throw new Error(`PostgreSQL unreachable at ${url} (${postgres.reason}) and ATRIUM_REQUIRE_POSTGRES=1`);
      if (!warned) {
        warned = true;
        console.warn(`PostgreSQL unreachable (${postgres.reason}): skipping postgres tests`);
      }
      describe.skip(`${name} [postgres] — PostgreSQL unreachable`, () => suite(engine));
      continue;
    }
    describe(`${name} [${engine}]`, () => {
      // Registers the hooks synchronously (hooks given): a fresh database per block, a rolled-back transaction per test.
      void useTestDatabase({ models: options.models, engine, isolate: options.isolate ?? true, hooks: { beforeAll, afterAll, beforeEach, afterEach } });
      suite(engine);
    });
  }
}
