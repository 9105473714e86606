import { allModels, resolveReverseRelations } from '../model/model-registry.js';
import { ensureJoinModels } from './many-to-many.js';
import { installReverseAccessor } from './reverse-accessors.js';
import { forgetRelationDescriptors } from './relation-descriptor.js';

/** Set when a model is declared; relations are re-resolved on next use. */
let dirty = true;

/** A model was declared: reverse accessors and join models must be resolved again. */
export function markRelationsDirty(): void {
  dirty = true;
}

/**
 * Resolve what model declarations could not (targets are thunks that may name
 * models declared later): create the many-to-many join models, compute every
 * model's reverse relations and install their accessors (`author.posts`).
 * Cheap after the first call; the query layer calls it before hydrating rows.
 * @example
 * ensureRelations();
 * author.posts; // installed
 */
export function ensureRelations(): void {
  if (!dirty) return;
  ensureJoinModels();
  resolveReverseRelations();
  for (const target of allModels()) {
    forgetRelationDescriptors(target);
    for (const relation of target.meta.reverseRelations) installReverseAccessor(target, relation);
  }
  // Join models declared above marked the registry dirty again; everything is resolved now.
  dirty = false;
}
