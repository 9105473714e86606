import type { ForeignKey } from '../fields/relation-fields.js';
import { stateOf } from '../model/instance-state.js';
import { keyOf, pkOf } from './instance-keys.js';

/**
 * The loaded value of relation `name` on an instance: the related object (or
 * null) for a forward foreign key / one-to-one, the list for a reverse or
 * many-to-many relation. `undefined` when it was never loaded.
 * @example
 * const author = getRelated(post, 'author');
 */
export function getRelated(instance: object, name: string): unknown {
  return stateOf(instance).relations.get(name);
}

/**
 * Record a loaded relation (selectRelated joins, prefetchRelated, load()).
 * @example
 * setRelated(post, 'author', author);
 */
export function setRelated(instance: object, name: string, value: unknown): void {
  stateOf(instance).relations.set(name, value);
}

/**
 * True when relation `name` was loaded on the instance (a loaded null counts).
 * @example
 * if (!hasRelated(post, 'author')) await post.load('author');
 */
export function hasRelated(instance: object, name: string): boolean {
  return stateOf(instance).relations.has(name);
}

/** Forget a loaded relation, e.g. after a many-to-many add() made the prefetched list stale. */
export function clearRelated(instance: object, name: string): void {
  stateOf(instance).relations.delete(name);
}

/**
 * True when the forward relation `field` is loaded and still matches the key
 * column: after `post.authorId = 7` the cached author is stale.
 */
export function hasCurrentForward(instance: object, field: ForeignKey): boolean {
  const relations = stateOf(instance).relations;
  if (!relations.has(field.name)) return false;
  const cached = relations.get(field.name) as object | null;
  const key = (instance as Record<string, unknown>)[field.attname];
  if (cached === null) return key === null || key === undefined;
  return key !== null && key !== undefined && keyOf(pkOf(cached, field.target)) === keyOf(key);
}
