/**
 * Run a block of tests once per database engine, as the ORM's shared
 * harness (packages/orm/test/support/databases.ts) does, but through the
 * public `@atrium/orm/testing` API: forms import `@atrium/orm` (the built
 * package), and the harness configures the ORM's source modules, which
 * would be a second, unconfigured copy of the connection registry.
 * PostgreSQL is skipped with a printed message when unreachable (failing
 * instead with ATRIUM_REQUIRE_POSTGRES=1).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import type { AnyModel } from '@atrium/orm';
import { probePostgres, skipUnreachablePostgres, testDatabaseUrl, useTestDatabase, type TestEngine } from '@atrium/orm/testing';

const url = testDatabaseUrl();
const postgres = await probePostgres(url);


export function forEachDatabase(name: string, suite: (engine: TestEngine) => void, options: { models: readonly AnyModel[]; isolate?: boolean }): void {
  for (const engine of ['sqlite', 'postgres'] as const) {
    if (engine === 'postgres' && !postgres.ok) {
      describe.skip(`${name} [postgres] — ${skipUnreachablePostgres(postgres, url)}`, () => suite(engine));
      continue;
    }
    describe(`${name} [${engine}]`, () => {
      // Registers the hooks synchronously (hooks given): a fresh database per block, a rolled-back transaction per test.
      void useTestDatabase({ models: options.models, engine, isolate: options.isolate ?? true, hooks: { beforeAll, afterAll, beforeEach, afterEach } });
      suite(engine);
    });
  }
}
