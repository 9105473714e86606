import type { AnyModel } from '../model/model.js';
import type { WhereInput } from '../query/where-input.js';

/**
 * The part of the query engineer's QuerySet that relations use, typed
 * loosely: relation code works on any model, where the public QuerySet is
 * generic over one.
 */
export interface RelatedQuerySet extends PromiseLike<object[]> {
  filter(...where: WhereInput[]): RelatedQuerySet;
  count(): Promise<number>;
  using(alias: string): RelatedQuerySet;
  selectRelated(...names: string[]): RelatedQuerySet;
  orderBy(...keys: string[]): RelatedQuerySet;
  bulkCreate(objects: readonly object[]): Promise<object[]>;
}

/** `model.objects.all()` on the given database, loosely typed. */
export function querySetOf(model: AnyModel, alias: string): RelatedQuerySet {
  return (model.objects as unknown as { all(): RelatedQuerySet }).all().using(alias);
}
