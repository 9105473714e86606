import { ImproperlyConfigured } from '@atrium/core';
import type { AnyModel } from './model.js';
import { didYouMean } from '../naming.js';

/**
 * Every declared model by label ('blog.Post'). Relations, migrations and the
 * admin find models here; a later declaration with the same label replaces
 * the earlier one (test files and hot reload re-declare models).
 */
const models = new Map<string, AnyModel>();
let reverseResolved = false;

export function registerModel(model: AnyModel): void {
  models.set(model.name, model);
  reverseResolved = false;
}

export function getModel(label: string): AnyModel {
  const model = models.get(label);
  if (!model) throw new ImproperlyConfigured(`No model '${label}' is declared${didYouMean(label, models.keys())}. Import the app's models.ts before using it.`);
  return model;
}

export function hasModel(label: string): boolean {
  return models.has(label);
}

/** All registered models, optionally of one app. */
export function allModels(appLabel?: string): AnyModel[] {
  const list = [...models.values()];
  return appLabel ? list.filter((m) => m.meta.appLabel === appLabel) : list;
}

/** Forget every model (tests that declare throwaway models). */
export function clearModelRegistry(): void {
  models.clear();
  reverseResolved = false;
}

/**
 * Compute reverse relations for every registered model (done lazily, once
 * after each registration, because targets are declared with thunks).
 */
export function resolveReverseRelations(): void {
  if (reverseResolved) return;
  for (const model of models.values()) model.meta.reverseRelations.length = 0;
  for (const model of models.values()) {
    for (const field of [...model.meta.foreignKeys, ...model.meta.manyToMany]) {
      const name = field.relatedName;
      if (name === null) continue;
      const target = field.target;
      const clash = target.meta.fieldMap.get(name);
      if (clash) {
        throw new ImproperlyConfigured(
          `Reverse accessor '${name}' for ${model.name}.${field.name} clashes with field ${target.name}.${name}; pass relatedName to ${model.name}.${field.name}.`,
        );
      }
      target.meta.reverseRelations.push({ name, model, field });
    }
  }
  reverseResolved = true;
}
