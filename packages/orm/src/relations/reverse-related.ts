import { OrmUsageError } from '../errors.js';
import { stateOf } from '../model/instance-state.js';
import { pkOf } from './instance-keys.js';
import { relationNotLoaded } from './not-loaded.js';
import type { ReverseRelation } from './relation-descriptor.js';
import { querySetOf, type RelatedQuerySet } from './related-queryset.js';

/**
 * `author.posts`: the rows of another model whose foreign key points at this
 * instance. `loaded` reads what prefetchRelated()/load() fetched; `all()` and
 * `count()` query explicitly.
 * @example
 * const posts = await author.posts.all().orderBy('-publishedAt');
 * const prefetched = (await Author.objects.prefetchRelated('posts'))[0]!.posts.loaded;
 */
export class ReverseRelatedManager {
  readonly #instance: object;
  readonly #relation: ReverseRelation;

  constructor(instance: object, relation: ReverseRelation) {
    this.#instance = instance;
    this.#relation = relation;
  }

  /** The prefetched rows; throws RelationNotLoaded when they were not prefetched. */
  get loaded(): object[] {
    const relations = stateOf(this.#instance).relations;
    if (!relations.has(this.#relation.name)) throw relationNotLoaded(this.#relation.model, this.#relation.name, { selectable: false });
    return relations.get(this.#relation.name) as object[];
  }

  /** A queryset of the related rows (`Post.objects.filter({ author: author.id })`). */
  all(): RelatedQuerySet {
    const { field, related } = this.#relation;
    return querySetOf(related, stateOf(this.#instance).db).filter({ [field.name]: this.#parentKey() });
  }

  /** Number of related rows (one COUNT query). */
  count(): Promise<number> {
    return this.all().count();
  }

  #parentKey(): unknown {
    const { model, name } = this.#relation;
    const key = pkOf(this.#instance, model);
    if (key === undefined || key === null) {
      throw new OrmUsageError(`${model.name} has no primary key yet; save() it before querying its '${name}'.`);
    }
    return key;
  }
}
