import type { Kysely } from 'kysely';
import { connection } from '../db/connections.js';

/**
 * Create a database cache table (and its expiry index) if missing, on
 * SQLite or PostgreSQL. `manage createcachetable` calls it for every
 * CACHES entry with BACKEND 'database'.
 * @example await createCacheTable('atrium_cache');
 */
export async function createCacheTable(table: string, database = 'default'): Promise<void> {
  const db = connection(database).kysely as Kysely<unknown>;
  await db.schema
    .createTable(table)
    .ifNotExists()
    .addColumn('cache_key', 'varchar(255)', (column) => column.primaryKey())
    .addColumn('value', 'text', (column) => column.notNull())
    .addColumn('expires', 'bigint')
    .execute();
  await db.schema.createIndex(`${table}_expires`).ifNotExists().on(table).column('expires').execute();
}
