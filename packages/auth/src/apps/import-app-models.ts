import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppConfig } from '@atrium/core';

/** Same order as core's app modules: the TypeScript source when present (run through tsx), else compiled JS. */
const MODEL_MODULES = ['models.ts', 'models.js', 'models.mjs'];

/**
 * Import the `models.ts` of each project app that has one, so its models are
 * declared (registered) before auth looks them up — the user model named by
 * AUTH_USER_MODEL, and every model syncPermissions covers. Package apps
 * (like auth itself) import their own models from their app module.
 * @example await importAppModels(app.apps.all());
 */
export async function importAppModels(apps: readonly Pick<AppConfig, 'path'>[]): Promise<void> {
  for (const app of apps) {
    const file = MODEL_MODULES.map((name) => join(app.path, name)).find((candidate) => existsSync(candidate));
    if (file) await import(pathToFileURL(file).href);
  }
}
