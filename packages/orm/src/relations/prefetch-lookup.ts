import { OrmUsageError } from '../errors.js';
import type { RelatedQuerySet } from './related-queryset.js';

/**
 * A prefetch with a custom queryset for the last relation of the lookup:
 * filter, order or selectRelated the prefetched rows.
 * @example
 * const authors = await Author.objects.prefetchRelated(
 *   new Prefetch('posts', Post.objects.filter({ published: true }).orderBy('-publishedAt')),
 * );
 * authors[0]!.posts.loaded; // only published posts, newest first
 */
export class Prefetch {
  /** Relation path, dot-separated: `'posts'`, `'posts.comments'`. */
  readonly lookup: string;
  /** Queryset the rows of the last relation are fetched with (null: the related model's default). */
  readonly queryset: PromiseLike<unknown> | null;

  constructor(lookup: string, queryset?: PromiseLike<unknown>) {
    this.lookup = lookup;
    this.queryset = queryset ?? null;
  }
}

/** A relation path or a Prefetch. */
export type PrefetchLookup = string | Prefetch;

/** One relation of the lookup tree, with what to prefetch below it. */
export interface LookupNode {
  readonly name: string;
  queryset: RelatedQuerySet | null;
  readonly children: Map<string, LookupNode>;
}

/**
 * Merge lookups into a tree so a shared prefix is fetched once:
 * `['posts', 'posts.comments', 'posts.tags']` -> posts { comments, tags }.
 */
export function lookupTree(lookups: readonly PrefetchLookup[]): Map<string, LookupNode> {
  const root = new Map<string, LookupNode>();
  for (const lookup of lookups) {
    const path = typeof lookup === 'string' ? lookup : lookup.lookup;
    if (typeof path !== 'string') throw new OrmUsageError(`prefetchRelated() takes relation names or Prefetch objects, got ${JSON.stringify(lookup)}.`);
    const names = path.split('.');
    if (names.some((name) => name === '')) throw new OrmUsageError(`Prefetch lookup '${path}' has an empty relation name; write paths like 'posts.comments'.`);
    let level = root;
    let node: LookupNode | undefined;
    for (const name of names) {
      node = level.get(name);
      if (!node) {
        node = { name, queryset: null, children: new Map() };
        level.set(name, node);
      }
      level = node.children;
    }
    if (lookup instanceof Prefetch && lookup.queryset) {
      if (node!.queryset && node!.queryset !== lookup.queryset) {
        throw new OrmUsageError(`Prefetch lookup '${path}' was given twice with different querysets; pass one Prefetch per relation.`);
      }
      node!.queryset = lookup.queryset as RelatedQuerySet;
    }
  }
  return root;
}
