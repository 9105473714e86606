import type { Kysely } from 'kysely';
import { OrmUsageError } from '../errors.js';
import type { AnyModel } from '../model/model.js';
import { stateOf } from '../model/instance-state.js';
import { clearRelated } from './relation-cache.js';
import { chunks, distinctKeys, keyOf, pkAttname, pkOf } from './instance-keys.js';
import { relationNotLoaded } from './not-loaded.js';
import type { ManyRelation } from './relation-descriptor.js';
import { querySetOf, type RelatedQuerySet } from './related-queryset.js';
import { inTransaction, dialectOf, runQuery } from './db-access.js';

type KeyOrInstance = object | string | number | bigint;

/**
 * `post.tags` (and the reverse `tag.posts`): rows linked through the join
 * model. Changes go straight to the join table; `add()` skips links that
 * already exist, so it is safe to repeat.
 * @example
 * await post.tags.add(python, django);
 * await post.tags.remove(django);
 * const names = (await post.tags.all()).map((tag) => tag.name);
 */
export class ManyRelatedManager {
  readonly #instance: object;
  readonly #relation: ManyRelation;

  constructor(instance: object, relation: ManyRelation) {
    this.#instance = instance;
    this.#relation = relation;
  }

  /** The prefetched rows; throws RelationNotLoaded when they were not prefetched. */
  get loaded(): object[] {
    const relations = stateOf(this.#instance).relations;
    if (!relations.has(this.#relation.name)) throw relationNotLoaded(this.#relation.model, this.#relation.name, { selectable: false });
    return relations.get(this.#relation.name) as object[];
  }

  /** A queryset of the linked rows. */
  all(): RelatedQuerySet {
    const { related, model } = this.#relation;
    // Filter the related model through its relation back to this side: Tag.objects.filter({ posts: { id: post.id } }).
    return querySetOf(related, this.#alias()).filter({ [reverseQueryName(this.#relation)]: { [pkAttname(model)]: this.#ownKey() } });
  }

  /** Number of linked rows (one COUNT query). */
  count(): Promise<number> {
    return this.all().count();
  }

  /** Link the given rows (instances or keys); existing links are left as they are. */
  async add(...objects: KeyOrInstance[]): Promise<void> {
    const keys = this.#keysOf(objects, 'add');
    if (keys.length === 0) return;
    await inTransaction(this.#alias(), this.#through(), async (db) => {
      const existing = new Set((await this.#linkedKeys(db, keys)).map(keyOf));
      await this.#insertLinks(db, keys.filter((key) => !existing.has(keyOf(key))));
    });
    clearRelated(this.#instance, this.#relation.name);
  }

  /** Unlink the given rows (instances or keys); the rows themselves stay. */
  async remove(...objects: KeyOrInstance[]): Promise<void> {
    const keys = this.#keysOf(objects, 'remove');
    if (keys.length === 0) return;
    await inTransaction(this.#alias(), this.#through(), (db) => this.#deleteLinks(db, keys));
    clearRelated(this.#instance, this.#relation.name);
  }

  /** Make the linked rows exactly `objects`: removes the others, adds the missing ones. */
  async set(objects: readonly KeyOrInstance[]): Promise<void> {
    const keys = this.#keysOf(objects, 'set');
    await inTransaction(this.#alias(), this.#through(), async (db) => {
      const wanted = new Set(keys.map(keyOf));
      const current = await this.#linkedKeys(db, null);
      const currentSet = new Set(current.map(keyOf));
      await this.#deleteLinks(db, current.filter((key) => !wanted.has(keyOf(key))));
      await this.#insertLinks(db, keys.filter((key) => !currentSet.has(keyOf(key))));
    });
    clearRelated(this.#instance, this.#relation.name);
  }

  /** Remove every link of this instance. */
  async clear(): Promise<void> {
    const alias = this.#alias();
    const own = this.#ownKey();
    const { link, ownKey } = this.#relation;
    const dialect = dialectOf(alias);
    await inTransaction(alias, this.#through(), (db) =>
      runQuery(db.deleteFrom(link.through.meta.table).where(ownKey.column, '=', ownKey.toDb(own as never, dialect)), link.through),
    );
    clearRelated(this.#instance, this.#relation.name);
  }

  /** Keys of the related rows already linked (restricted to `among` when given). */
  async #linkedKeys(db: Kysely<any>, among: unknown[] | null): Promise<unknown[]> {
    const { link, ownKey, otherKey } = this.#relation;
    const dialect = dialectOf(this.#alias());
    const own = ownKey.toDb(this.#ownKey() as never, dialect);
    const base = db.selectFrom(link.through.meta.table).select(otherKey.column).where(ownKey.column, '=', own);
    const batches = among === null ? [null] : chunks(among, dialect);
    const found: unknown[] = [];
    for (const batch of batches) {
      const query = batch === null ? base : base.where(otherKey.column, 'in', batch.map((key) => otherKey.toDb(key as never, dialect)));
      const rows = (await runQuery(query, link.through)) as Array<Record<string, unknown>>;
      for (const row of rows) found.push(otherKey.fromDb(row[otherKey.column], dialect));
    }
    return found;
  }

  async #insertLinks(db: Kysely<any>, keys: unknown[]): Promise<void> {
    if (keys.length === 0) return;
    const { link, ownKey, otherKey } = this.#relation;
    const alias = this.#alias();
    if (!link.autoCreated) {
      // A declared through model may have extra columns with defaults or autoNowAdd: insert it like any model.
      const rows = keys.map((key) => ({ [ownKey.attname]: this.#ownKey(), [otherKey.attname]: key }));
      await querySetOf(link.through, alias).bulkCreate(rows);
      return;
    }
    const dialect = dialectOf(alias);
    const own = ownKey.toDb(this.#ownKey() as never, dialect);
    // Two parameters per row: keep each INSERT below the parameter limit.
    const size = dialect === 'sqlite' ? 15_000 : 30_000;
    for (let i = 0; i < keys.length; i += size) {
      const rows = keys.slice(i, i + size).map((key) => ({ [ownKey.column]: own, [otherKey.column]: otherKey.toDb(key as never, dialect) }));
      await runQuery(db.insertInto(link.through.meta.table).values(rows), link.through);
    }
  }

  async #deleteLinks(db: Kysely<any>, keys: unknown[]): Promise<void> {
    if (keys.length === 0) return;
    const { link, ownKey, otherKey } = this.#relation;
    const dialect = dialectOf(this.#alias());
    const own = ownKey.toDb(this.#ownKey() as never, dialect);
    for (const batch of chunks(keys, dialect)) {
      await runQuery(
        db
          .deleteFrom(link.through.meta.table)
          .where(ownKey.column, '=', own)
          .where(otherKey.column, 'in', batch.map((key) => otherKey.toDb(key as never, dialect))),
        link.through,
      );
    }
  }

  #keysOf(objects: readonly KeyOrInstance[], method: string): unknown[] {
    const { related, model, name } = this.#relation;
    this.#ownKey();
    const keys = objects.map((object) => {
      if (typeof object !== 'object' || object === null) return object;
      if (!related.prototype.isPrototypeOf(object)) {
        throw new OrmUsageError(`${model.name}.${name}.${method}() expects ${related.name} instances or keys, got ${describe(object)}.`);
      }
      const key = pkOf(object, related);
      if (key === undefined || key === null) throw new OrmUsageError(`${model.name}.${name}.${method}(): a ${related.name} has no primary key yet; save() it first.`);
      return key;
    });
    return distinctKeys(keys);
  }

  #ownKey(): unknown {
    const { model, name } = this.#relation;
    const key = pkOf(this.#instance, model);
    if (key === undefined || key === null) throw new OrmUsageError(`${model.name} has no primary key yet; save() it before using its '${name}'.`);
    return key;
  }

  #alias(): string {
    return stateOf(this.#instance).db;
  }

  #through(): AnyModel {
    return this.#relation.link.through;
  }
}

/**
 * The name by which the related model reaches this side in a filter: the
 * many-to-many field itself for `tag.posts` (Post.tags, seen from Post), the
 * field's reverse name for `post.tags` (Tag.posts).
 */
function reverseQueryName(relation: ManyRelation): string {
  const field = relation.link.field;
  if (relation.ownKey === relation.link.targetField) return field.name;
  if (field.relatedName === null) {
    throw new OrmUsageError(`${field.model.name}.${field.name} has relatedName '+', so ${field.target.name} cannot be filtered by it; give it a relatedName.`);
  }
  return field.relatedName;
}

function describe(value: object): string {
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'a plain object';
}
