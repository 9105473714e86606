import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineApp } from '@atrium/core';
import './task-record.js';

/** The package folder, from src/tasks or dist/tasks. */
const packageRoot = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/**
 * The background tasks app: add '@atrium/orm/tasks' to INSTALLED_APPS (after
 * '@atrium/orm'), run `manage migrate` for its queue table (atrium_task),
 * then `manage worker` (commands/worker.ts).
 * @example export default defineSettings({ INSTALLED_APPS: ['@atrium/orm', '@atrium/orm/tasks', 'shop'] });
 */
export default defineApp({
  label: 'atrium_tasks',
  verboseName: 'Background tasks',
  path: join(packageRoot, 'tasks'),
});
