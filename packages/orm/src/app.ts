import { defineApp } from '@atrium/core';
import { closeDatabases, configureDatabases, connection, hasConnection, sql } from './db/connections.js';
import { atomicRequests } from './db/atomic-requests.js';
import { databaseCacheBackend } from './cache/database-cache-backend.js';

/** Aliases this app opened, so closing the application leaves others' (a test fixture's) alone. */
const opened = new Set<string>();

/**
 * The orm app (`'@atrium/orm'` in INSTALLED_APPS): opens DATABASES at
 * start-up (an alias already configured — by a test fixture or a script —
 * is kept), closes them when the application closes, offers the 'atomic'
 * middleware, the 'database' cache backend, and (from commands/) the loaddata/dumpdata/makemigrations/migrate/showmigrations/sqlmigrate/createcachetable commands.
 * @example
 * // settings.ts
 * INSTALLED_APPS: ['@atrium/orm', 'blog'],
 */
export default defineApp({
  label: 'orm',
  verboseName: 'ORM',
  path: import.meta.dirname,
  middleware: { atomic: atomicRequests },
  extensions: {
    // CACHES BACKEND 'database' (core cannot import the orm, so the orm offers it).
    cacheBackends: { database: databaseCacheBackend },
    // `manage serve`'s readiness probe: the default database answers a trivial query.
    readinessChecks: {
      database: async () => {
        if (hasConnection('default')) await sql`SELECT 1`.execute(connection('default').kysely);
      },
    },
    close: async () => {
      const aliases = [...opened];
      opened.clear();
      await closeDatabases(aliases);
    },
  },
  ready(app) {
    const missing = Object.fromEntries(Object.entries(app.settings.DATABASES).filter(([alias]) => !hasConnection(alias)));
    configureDatabases(missing, app.root);
    for (const alias of Object.keys(missing)) opened.add(alias);
  },
});
