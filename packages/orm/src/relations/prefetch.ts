import type { AnyModel } from '../model/model.js';
import { stateOf } from '../model/instance-state.js';
import { chunks, distinctKeys, keyOf, pkAttname, pkOf } from './instance-keys.js';
import { lookupTree, type LookupNode, type PrefetchLookup } from './prefetch-lookup.js';
import { getRelated, hasCurrentForward, setRelated } from './relation-cache.js';
import { describeRelation, type ForwardRelation, type ManyRelation, type ReverseRelation } from './relation-descriptor.js';
import { querySetOf, type RelatedQuerySet } from './related-queryset.js';
import { dialectOf, executorOf, runQuery } from './db-access.js';

export { Prefetch, type PrefetchLookup } from './prefetch-lookup.js';

/**
 * Load relations of many instances at once: one query per relation level
 * (more only when the IN list must be split to respect the database's
 * parameter limit), never one per instance. Forward keys, reverse keys,
 * one-to-ones and many-to-manys, nested with dots (`'posts.comments'`), with
 * a custom queryset through `Prefetch`. Results are attached to the
 * instances, so `author.posts.loaded` and `post.author` read them.
 * Relations already loaded on an instance are not fetched again (unless a
 * Prefetch gives a queryset).
 * @example
 * const authors = await Author.objects.all();
 * await prefetchRelated(Author, authors, ['posts.comments', new Prefetch('books', Book.objects.filter({ inPrint: true }))], 'default');
 */
export async function prefetchRelated(model: AnyModel, instances: readonly object[], lookups: readonly PrefetchLookup[], alias: string = model.meta.database): Promise<void> {
  if (instances.length === 0 || lookups.length === 0) return;
  await prefetchLevel(model, instances, lookupTree(lookups), alias);
}

async function prefetchLevel(model: AnyModel, instances: readonly object[], nodes: ReadonlyMap<string, LookupNode>, alias: string): Promise<void> {
  for (const node of nodes.values()) {
    const relation = describeRelation(model, node.name);
    const next =
      relation.kind === 'forward'
        ? await prefetchForward(relation, instances, node.queryset, alias)
        : relation.kind === 'reverse'
          ? await prefetchReverse(relation, instances, node.queryset, alias)
          : await prefetchMany(relation, instances, node.queryset, alias);
    if (node.children.size > 0 && next.length > 0) await prefetchLevel(relation.related, next, node.children, alias);
  }
}

/** `post.author`: fetch the distinct targets by primary key. Returns the loaded targets. */
async function prefetchForward(relation: ForwardRelation, instances: readonly object[], queryset: RelatedQuerySet | null, alias: string): Promise<object[]> {
  const { field, name, related } = relation;
  const pending = queryset ? instances : instances.filter((instance) => !hasCurrentForward(instance, field));
  const keys = distinctKeys(pending.map((instance) => (instance as Record<string, unknown>)[field.attname]));
  const byKey = new Map<string, object>();
  for (const batch of chunks(keys, dialectOf(alias))) {
    for (const row of await (queryset ?? querySetOf(related, alias)).filter({ pk: { in: batch } })) byKey.set(keyOf(pkOf(row, related)), row);
  }
  const reverseName = field.kind === 'oneToOne' ? field.relatedName : null;
  for (const instance of pending) {
    const key = (instance as Record<string, unknown>)[field.attname];
    const target = key === null || key === undefined ? null : (byKey.get(keyOf(key)) ?? null);
    setRelated(instance, name, target);
    if (target && reverseName) setRelated(target, reverseName, instance);
  }
  const loaded = new Set<object>();
  for (const instance of instances) {
    const target = getRelated(instance, name);
    if (target) loaded.add(target as object);
  }
  return [...loaded];
}

/** A parent of a reverse prefetch and the children found for its key. */
interface Family {
  readonly parent: object;
  readonly children: object[];
}

/** `author.posts` / `user.profile`: fetch children whose key is among the parents'. Returns every loaded child. */
async function prefetchReverse(relation: ReverseRelation, instances: readonly object[], queryset: RelatedQuerySet | null, alias: string): Promise<object[]> {
  const { field, name, model, related, single } = relation;
  const pending = queryset ? instances : instances.filter((instance) => !stateOf(instance).relations.has(name));
  // Keys match as strings (keyOf), the first parent with a key wins. The raw value is looked up first,
  // so the usual case (the same number on both sides) makes no string per child row.
  const byKey = new Map<string, Family>();
  const byRaw = new Map<unknown, Family>();
  for (const instance of pending) {
    const raw = pkOf(instance, model);
    if (raw === null || raw === undefined) continue;
    const key = keyOf(raw);
    if (byKey.has(key)) continue;
    const family: Family = { parent: instance, children: [] };
    byKey.set(key, family);
    if (!byRaw.has(raw)) byRaw.set(raw, family);
  }
  const familyOf = (raw: unknown): Family | undefined => byRaw.get(raw) ?? byKey.get(keyOf(raw));
  // Read once: `attname` is computed by a getter, and this loop runs per child row.
  const { attname, name: forwardName } = field;
  for (const batch of chunks([...byKey.values()].map((family) => pkOf(family.parent, model)), dialectOf(alias))) {
    for (const child of await (queryset ?? querySetOf(related, alias)).filter({ [attname]: { in: batch } })) {
      const family = familyOf((child as Record<string, unknown>)[attname]);
      family?.children.push(child);
      // The child's own `post.author` is known now: no query when it is read.
      setRelated(child, forwardName, family?.parent);
    }
  }
  for (const instance of pending) {
    const raw = pkOf(instance, model);
    const group = (raw === null || raw === undefined ? undefined : familyOf(raw))?.children ?? [];
    setRelated(instance, name, single ? (group[0] ?? null) : group);
  }
  return collectLoaded(instances, name);
}

/**
 * `post.tags` / `tag.posts`. By default one query: the join rows with the
 * related row joined in (selectRelated), ordered by the related model's
 * ordering. With a custom queryset, the join pairs and the related rows are
 * two queries, since the custom filter applies to the related model.
 */
async function prefetchMany(relation: ManyRelation, instances: readonly object[], queryset: RelatedQuerySet | null, alias: string): Promise<object[]> {
  const { name, model } = relation;
  const pending = queryset ? instances : instances.filter((instance) => !stateOf(instance).relations.has(name));
  const keys = distinctKeys(pending.map((instance) => pkOf(instance, model)));
  const groups = queryset ? await linkedByQueryset(relation, keys, queryset, alias) : await linkedByJoin(relation, keys, alias);
  for (const instance of pending) setRelated(instance, name, groups.get(keyOf(pkOf(instance, model))) ?? []);
  return collectLoaded(instances, name);
}

async function linkedByJoin(relation: ManyRelation, keys: readonly unknown[], alias: string): Promise<Map<string, object[]>> {
  const { link, ownKey, otherKey, related } = relation;
  const groups = new Map<string, object[]>();
  const ordering = related.meta.ordering.map((key) => (key.startsWith('-') ? `-${otherKey.name}.${key.slice(1)}` : `${otherKey.name}.${key}`));
  for (const batch of chunks(keys, dialectOf(alias))) {
    const rows = await querySetOf(link.through, alias)
      .filter({ [ownKey.attname]: { in: batch } })
      .selectRelated(otherKey.name)
      .orderBy(...ordering, pkAttname(link.through));
    for (const row of rows) {
      const key = keyOf((row as Record<string, unknown>)[ownKey.attname]);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = []));
      group.push(getRelated(row, otherKey.name) as object);
    }
  }
  return groups;
}

async function linkedByQueryset(relation: ManyRelation, keys: readonly unknown[], queryset: RelatedQuerySet, alias: string): Promise<Map<string, object[]>> {
  const { link, ownKey, otherKey, related } = relation;
  const dialect = dialectOf(alias);
  // Join pairs: which instances link to each related key.
  const links = new Map<string, { key: unknown; owners: unknown[] }>();
  for (const batch of chunks(keys, dialect)) {
    const query = executorOf(alias)
      .selectFrom(link.through.meta.table)
      .select([ownKey.column, otherKey.column])
      .where(ownKey.column, 'in', batch.map((key) => ownKey.toDb(key as never, dialect)));
    for (const pair of (await runQuery(query)) as Array<Record<string, unknown>>) {
      const other = otherKey.fromDb(pair[otherKey.column], dialect);
      let entry = links.get(keyOf(other));
      if (!entry) links.set(keyOf(other), (entry = { key: other, owners: [] }));
      entry.owners.push(ownKey.fromDb(pair[ownKey.column], dialect));
    }
  }
  const groups = new Map<string, object[]>();
  // Rows come in the queryset's order (per batch of 30,000+ keys); each is appended to every instance linking to it.
  for (const batch of chunks([...links.values()].map((entry) => entry.key), dialect)) {
    for (const row of await queryset.filter({ pk: { in: batch } })) {
      for (const owner of links.get(keyOf(pkOf(row, related)))?.owners ?? []) {
        let group = groups.get(keyOf(owner));
        if (!group) groups.set(keyOf(owner), (group = []));
        group.push(row);
      }
    }
  }
  return groups;
}

/** Every object loaded under `name` on the instances (lists flattened, nulls dropped). */
function collectLoaded(instances: readonly object[], name: string): object[] {
  const out: object[] = [];
  for (const instance of instances) {
    const value = getRelated(instance, name);
    if (Array.isArray(value)) out.push(...(value as object[]));
    else if (value) out.push(value as object);
  }
  return out;
}
