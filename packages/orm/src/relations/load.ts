import { OrmUsageError } from '../errors.js';
import type { AnyModel } from '../model/model.js';
import { stateOf } from '../model/instance-state.js';
import { peerLoadRefused } from './not-loaded.js';
import { hasCurrentForward } from './relation-cache.js';
import { prefetchRelated } from './prefetch.js';
import { describeRelation } from './relation-descriptor.js';
import { isStrict } from './strict-mode.js';

/**
 * `instance.load('author', 'posts.comments')` with Django 6.1's "fetch peers"
 * semantics: an instance that came from a multi-row query loads the relation
 * for all the rows of that query in one query (the first load in a loop pays
 * for the whole loop). In strict mode that loop is an N+1 pattern and refused
 * with a message pointing at selectRelated()/prefetchRelated(); a row fetched
 * on its own may always load. Relations already loaded are not fetched again.
 */
export async function loadRelations(model: AnyModel, instance: object, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) throw new OrmUsageError(`load() on a ${model.name} needs relation names, e.g. load('${firstRelationHint(model)}').`);
  const missing = paths.filter((path) => !isLoaded(model, instance, path.split('.')));
  if (missing.length === 0) return;
  const state = stateOf(instance);
  const peers = state.peers;
  if (peers && peers.length > 1) {
    if (isStrict()) {
      const first = missing[0]!.split('.')[0]!;
      throw peerLoadRefused(model, first, peers.length, describeRelation(model, first).kind === 'forward');
    }
    await prefetchRelated(model, peers, missing, state.db);
    return;
  }
  await prefetchRelated(model, [instance], missing, state.db);
}

/** True when every level of the path is loaded on the instance (and on the objects it leads to). */
function isLoaded(model: AnyModel, instance: object, path: readonly string[]): boolean {
  const [name, ...rest] = path as [string, ...string[]];
  const relation = describeRelation(model, name);
  const relations = stateOf(instance).relations;
  if (relation.kind === 'forward' ? !hasCurrentForward(instance, relation.field) : !relations.has(name)) return false;
  if (rest.length === 0) return true;
  const value = relations.get(name);
  const next = Array.isArray(value) ? (value as object[]) : value ? [value as object] : [];
  return next.every((child) => isLoaded(relation.related, child, rest));
}

function firstRelationHint(model: AnyModel): string {
  return model.meta.foreignKeys[0]?.name ?? model.meta.manyToMany[0]?.name ?? model.meta.reverseRelations[0]?.name ?? 'relation';
}
