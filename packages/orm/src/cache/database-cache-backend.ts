import { ImproperlyConfigured } from '@atrium/core';
import { positiveInteger, singleLocation, type CacheStoreFactory } from '@atrium/core/cache';
import { DatabaseCacheStore } from './database-cache-store.js';

/** The table a 'database' cache uses when LOCATION is empty. */
export const DEFAULT_CACHE_TABLE = 'atrium_cache';

/** The DATABASES alias of a CACHES entry (OPTIONS.DATABASE, default 'default'). */
export function cacheDatabaseAlias(alias: string, options: Readonly<Record<string, unknown>>): string {
  const database = options['DATABASE'] ?? 'default';
  if (typeof database !== 'string' || database === '') {
    throw new ImproperlyConfigured(`CACHES['${alias}'].OPTIONS.DATABASE must be a DATABASES alias (a string); got ${JSON.stringify(database)}.`);
  }
  return database;
}

/**
 * BACKEND 'database', registered by the orm app under `extensions.cacheBackends`.
 * @example CACHES: { default: { BACKEND: 'database', LOCATION: 'atrium_cache', OPTIONS: { MAX_ENTRIES: 50_000 } } }
 */
export const databaseCacheBackend: CacheStoreFactory = (config) =>
  new DatabaseCacheStore({
    table: singleLocation(config, DEFAULT_CACHE_TABLE),
    database: cacheDatabaseAlias(config.alias, config.options),
    maxEntries: positiveInteger(config, 'MAX_ENTRIES', 10_000),
  });
