import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineApp } from '@atrium/core';
import { admin } from './admin-site.js';
import { registerAuthAdmin } from './auth-admin/user-admin.js';
import './log-entry.js';

/**
 * The admin app: add '@atrium/admin' to INSTALLED_APPS (after
 * '@atrium/auth') so the template loader finds `admin/*.html` (a project's
 * own `templates/admin/` wins), the LogEntry model is declared, and the
 * default site gets the User and Group admin.
 */
export default defineApp({
  label: 'admin',
  verboseName: 'Administration',
  // The package folder (dist/app.js or src/app.ts live one level below it), holding templates/, static/ and migrations/.
  path: dirname(dirname(fileURLToPath(import.meta.url))),
  ready(app) {
    // Glue kept in the admin: auth knows nothing of the admin, core nothing of either.
    if (app.apps.has('auth')) registerAuthAdmin(admin);
  },
});
