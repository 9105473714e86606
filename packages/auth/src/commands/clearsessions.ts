import type { ManagementCommand } from '@atrium/core';
import { sessionEngineName, sessionStore } from '../sessions/session-engines.js';

/**
 * `manage clearsessions`: delete expired sessions from the session store
 * (the 'db' engine keeps them until then; Redis and signed cookies expire
 * by themselves). Run it from cron, e.g. daily.
 * @example manage clearsessions
 */
export const clearsessions: ManagementCommand = {
  name: 'clearsessions',
  description: 'Delete expired sessions from the session store',
  async run(context) {
    const app = context.project!.context;
    const removed = await sessionStore(app).clearExpired();
    context.stdout.write(`Removed ${removed} expired session${removed === 1 ? '' : 's'} (SESSION_ENGINE '${sessionEngineName(app)}').\n`);
    return 0;
  },
};

/** The command `manage` finds in this app's commands/ folder (the file name is the command name). */
export default clearsessions;
