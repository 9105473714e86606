/**
 * @atrium/orm/testing — test support for projects: a per-file database with
 * per-test rollback, query counting, and fixtures.
 */
export { useTestDatabase, type UseTestDatabaseOptions, type TestDatabaseHandle, type TestHooks } from './use-test-database.js';
export { createTestDatabase, testDatabaseUrl, probePostgres, redactUrl, type TestDatabase, type TestDatabaseOptions, type TestEngine } from './test-database.js';
export { skipUnreachablePostgres, type PostgresStatus } from './postgres-availability.js';
export { assertNumQueries, captureQueries, QueryCountMismatch, type CapturedQuery } from '../db/query-counter.js';
export { dumpData } from './dump-data.js';
export { loadData } from './load-data.js';
export type { FixtureObject, FixtureValue } from './fixture-values.js';
