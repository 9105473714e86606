import { defineApp } from '@atrium/core';
import { closeDatabases, configureDatabases, hasConnection } from './db/connections.js';
import { atomicRequests } from './db/atomic-requests.js';
import { loaddata } from './commands/loaddata.js';
import { dumpdata } from './commands/dumpdata.js';

/** Aliases this app opened, so closing the application leaves others' (a test fixture's) alone. */
const opened = new Set<string>();

/**
 * The orm app (`'@atrium/orm/app'` in INSTALLED_APPS): opens DATABASES at
 * start-up (an alias already configured — by a test fixture or a script —
 * is kept), closes them when the application closes, offers the 'atomic'
 * middleware and the loaddata/dumpdata commands.
 * @example
 * // settings.ts
 * INSTALLED_APPS: ['@atrium/orm/app', 'blog'],
 */
export default defineApp({
  label: 'orm',
  verboseName: 'ORM',
  path: import.meta.dirname,
  middleware: { atomic: atomicRequests },
  commands: [loaddata, dumpdata],
  extensions: {
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
