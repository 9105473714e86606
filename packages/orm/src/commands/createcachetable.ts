import { ImproperlyConfigured, type ManagementCommand } from '@atrium/core';
import { cacheDatabaseAlias, DEFAULT_CACHE_TABLE } from '../cache/database-cache-backend.js';
import { createCacheTable } from '../cache/create-cache-table.js';

/**
 * `manage createcachetable [--database alias]`: create the table of every
 * CACHES entry whose BACKEND is 'database' (skipping tables that exist).
 * @example
 * // npx manage createcachetable
 * // Cache table 'atrium_cache' is ready on database 'default'.
 */
export const createcachetableCommand: ManagementCommand = {
  name: 'createcachetable',
  description: "Create the tables of the 'database' cache backend named in CACHES.",
  options: [{ flags: '--database <alias>', description: 'only caches stored in this DATABASES alias' }],
  async run(context, _args, options) {
    const settings = context.project?.context.settings;
    if (!settings) throw new ImproperlyConfigured('createcachetable needs a project; run it from the project folder.');
    const only = typeof options['database'] === 'string' ? options['database'] : undefined;
    let made = 0;
    for (const [alias, entry] of Object.entries(settings.CACHES)) {
      if (entry.BACKEND !== 'database') continue;
      const database = cacheDatabaseAlias(alias, entry.OPTIONS);
      if (only !== undefined && database !== only) continue;
      const table = typeof entry.LOCATION === 'string' && entry.LOCATION !== '' ? entry.LOCATION : DEFAULT_CACHE_TABLE;
      await createCacheTable(table, database);
      context.stdout.write(`Cache table '${table}' is ready on database '${database}'.\n`);
      made++;
    }
    if (made === 0) context.stdout.write("No CACHES entry uses BACKEND 'database'; nothing to create.\n");
    return 0;
  },
};

/** The command `manage` finds in this app's commands/ folder (the file name is the command name). */
export default createcachetableCommand;
