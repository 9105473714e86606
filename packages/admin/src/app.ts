import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineApp } from '@atrium/core';
import './log-entry.js';

/**
 * The admin app: add '@atrium/admin' to INSTALLED_APPS so the template
 * loader finds `admin/*.html` (a project's own `templates/admin/` wins) and
 * the LogEntry model is declared.
 */
export default defineApp({
  label: 'admin',
  verboseName: 'Administration',
  // The package folder (dist/app.js or src/app.ts live one level below it), holding templates/ and static/.
  path: dirname(dirname(fileURLToPath(import.meta.url))),
});
