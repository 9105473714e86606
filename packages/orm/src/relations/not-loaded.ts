import { RelationNotLoaded } from '../errors.js';
import type { AnyModel } from '../model/model.js';

/** `post` for blog.Post: the variable name used in the suggested fix. */
function variableOf(model: AnyModel): string {
  const name = model.meta.modelName.replace(/_.*/, '');
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/**
 * A relation was touched before being loaded. Names the model, the relation
 * and the three ways to load it.
 */
export function relationNotLoaded(model: AnyModel, relation: string, options: { selectable: boolean }): RelationNotLoaded {
  const modelName = model.meta.modelName;
  const fixes = [
    ...(options.selectable ? [`${modelName}.objects.selectRelated('${relation}')`] : []),
    `${modelName}.objects.prefetchRelated('${relation}')`,
  ];
  return new RelationNotLoaded(
    `Relation '${relation}' of ${model.name} is not loaded. Load it with the query (${fixes.join(' or ')}), ` +
      `or explicitly with \`await ${variableOf(model)}.load('${relation}')\`.`,
  );
}

/**
 * Strict mode: load() on one row of a multi-row result would run one query
 * per row (N+1).
 */
export function peerLoadRefused(model: AnyModel, relation: string, peers: number, selectable: boolean): RelationNotLoaded {
  const modelName = model.meta.modelName;
  const fixes = [
    ...(selectable ? [`${modelName}.objects.selectRelated('${relation}')`] : []),
    `${modelName}.objects.prefetchRelated('${relation}')`,
  ];
  return new RelationNotLoaded(
    `Relation '${relation}' of ${model.name} is not loaded, and load('${relation}') on one of ${peers} rows fetched together would ` +
      `run a query per row (N+1); strict mode refuses it. Load it on the queryset: ${fixes.join(' or ')} ` +
      `(or turn strict mode off with setStrictMode(false) to load it for all ${peers} rows in one query).`,
  );
}
