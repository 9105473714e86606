import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppConfig } from '@atrium/core';

const TASK_MODULES = ['tasks.ts', 'tasks.js', 'tasks.mjs'];

/**
 * Import the `tasks` module of every installed app that has one, so its
 * task() declarations register before a worker claims anything (as Django
 * discovers each app's tasks module). Returns the files imported.
 * @example await discoverTasks(project.context.apps.all());
 */
export async function discoverTasks(apps: readonly AppConfig[]): Promise<string[]> {
  const imported: string[] = [];
  for (const app of apps) {
    const file = TASK_MODULES.map((name) => join(app.path, name)).find((candidate) => existsSync(candidate));
    if (file === undefined) continue;
    await import(pathToFileURL(file).href);
    imported.push(file);
  }
  return imported;
}
