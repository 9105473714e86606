import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseSettings } from '@atrium/core';
import type { Dialect } from '../fields/field.js';
import type { AnyModel } from '../model/model.js';
import { closeDatabases, configureDatabases } from '../db/connections.js';
import { createTables } from '../schema/create-tables.js';

export type TestEngine = Dialect;

/** Where the PostgreSQL test server is: ATRIUM_TEST_DATABASE_URL or the local default. */
export function testDatabaseUrl(): string {
  return process.env['ATRIUM_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
}

export interface TestDatabaseOptions {
  engine: TestEngine;
  /** Models whose tables (and join tables) are created. */
  models: readonly AnyModel[];
  /** Alias to configure (default 'default'). */
  alias?: string;
  /** PostgreSQL server URL (default `testDatabaseUrl()`). */
  url?: string;
  /** Extra DATABASES OPTIONS (pool size...). */
  options?: Record<string, unknown>;
}

export interface TestDatabase {
  readonly alias: string;
  readonly dialect: Dialect;
  /** PostgreSQL: the temporary schema; SQLite: 'main'. */
  readonly schema: string;
  /** Close the connection and drop the temporary schema. */
  teardown(): Promise<void>;
}

/**
 * A fresh database under `alias`: SQLite in memory, or a new PostgreSQL
 * schema (unique per process and call) that every pooled connection uses as
 * its search_path; then the models' tables.
 * @example
 * const db = await createTestDatabase({ engine: 'sqlite', models: [Post] });
 * await db.teardown();
 */
export async function createTestDatabase(options: TestDatabaseOptions): Promise<TestDatabase> {
  const alias = options.alias ?? 'default';
  if (options.engine === 'sqlite') {
    configureDatabases({ [alias]: { ENGINE: 'sqlite', NAME: ':memory:', OPTIONS: { ...options.options } } }, process.cwd(), { replace: true });
    await createTables(options.models, alias);
    return { alias, dialect: 'sqlite', schema: 'main', teardown: () => closeDatabases([alias]) };
  }
  const url = options.url ?? testDatabaseUrl();
  const schema = `atrium_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(url, `create schema "${schema}"`);
  try {
    configureDatabases({ [alias]: postgresSettingsFromUrl(url, { max: 4, ...options.options, searchPath: schema }) }, process.cwd(), { replace: true });
    await createTables(options.models, alias);
  } catch (error) {
    await closeDatabases([alias]);
    await adminQuery(url, `drop schema if exists "${schema}" cascade`);
    throw error;
  }
  return {
    alias,
    dialect: 'postgres',
    schema,
    async teardown() {
      await closeDatabases([alias]);
      await adminQuery(url, `drop schema if exists "${schema}" cascade`);
    },
  };
}

/** A DATABASES entry for a `postgres://user:pass@host:port/name` URL. */
export function postgresSettingsFromUrl(url: string, options: Record<string, unknown> = {}): DatabaseSettings {
  const parsed = new URL(url);
  return {
    ENGINE: 'postgres',
    NAME: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
    HOST: parsed.hostname || '127.0.0.1',
    PORT: parsed.port ? Number(parsed.port) : 5432,
    ...(parsed.username ? { USER: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { PASSWORD: decodeURIComponent(parsed.password) } : {}),
    OPTIONS: options,
  };
}

/** One statement on a short-lived connection outside the pool (schema create/drop). */
export async function adminQuery(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Whether the PostgreSQL server at `url` answers within 2 s; the reason when not. */
export async function probePostgres(url: string = testDatabaseUrl()): Promise<{ ok: true } | { ok: false; reason: string }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: (error as Error).message || String((error as { code?: string }).code) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The URL with its password hidden, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
