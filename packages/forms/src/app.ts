import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineApp } from '@atrium/core';

/**
 * The forms app: add '@atrium/forms' to INSTALLED_APPS so the template
 * loader finds `forms/*.html` (a project's own `templates/forms/` wins).
 */
export default defineApp({
  label: 'forms',
  verboseName: 'Forms',
  // The package folder (dist/app.js or src/app.ts live one level below it).
  path: dirname(dirname(fileURLToPath(import.meta.url))),
});
