import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyModel } from '../model/model.js';
import { allModels } from '../model/model-registry.js';
import { InvalidMigration } from './errors.js';
import type { MigrationApp } from './loader.js';

const MODEL_MODULES = ['models.ts', 'models.mts', 'models.js', 'models.mjs', 'models/index.ts', 'models/index.js'];

export interface DeclaredModels {
  /** Models of installed apps (auto-created join models included; ProjectState.fromModels leaves them out). */
  readonly models: AnyModel[];
  /** Labels of declared models whose app is not installed (ignored by makemigrations). */
  readonly strays: string[];
}

/**
 * The models the code declares, the "to" side of makemigrations: each
 * installed app's `models.ts` (or `models/index.ts`, .js...) is imported when
 * present — importing registers its models — then every registered model
 * of an installed app is taken.
 * @example
 * const { models } = await loadDeclaredModels(project.context.apps.all());
 */
export async function loadDeclaredModels(apps: readonly MigrationApp[]): Promise<DeclaredModels> {
  for (const app of apps) {
    const file = MODEL_MODULES.map((name) => join(app.path, name)).find((candidate) => existsSync(candidate));
    if (!file) continue;
    try {
      await import(pathToFileURL(file).href);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new InvalidMigration(`Could not import the models of app '${app.label}' (${file}): ${reason}`, { cause });
    }
  }
  const installed = new Set(apps.map((app) => app.label));
  const models: AnyModel[] = [];
  const strays: string[] = [];
  for (const model of allModels()) {
    if (installed.has(model.meta.appLabel)) models.push(model);
    else if (!model.meta.autoCreatedFor) strays.push(model.name);
  }
  return { models, strays };
}
