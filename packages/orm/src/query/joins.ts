import { sql } from 'kysely';
import type { ForeignKey } from '../fields/relation-fields.js';
import type { ManyRelation, ReverseRelation } from '../relations/relation-descriptor.js';
import type { AnyModel } from '../model/model.js';
import { columnRef, type CompileContext, type Sql } from './compile-context.js';

/** One joined table. */
export interface Join {
  readonly kind: 'left' | 'inner';
  readonly table: string;
  readonly alias: string;
  readonly on: Sql;
  readonly model: AnyModel;
}

/**
 * The joins of one SELECT, each relation path joined once and reused by
 * filters, orderings, selectRelated and aggregates. Forward foreign keys are
 * LEFT joins (so OR and IS NULL conditions keep rows without a target)
 * unless selectRelated asks for INNER on a non-null key; reverse and
 * many-to-many joins (aggregates only) are LEFT joins that multiply rows,
 * which is what COUNT/SUM over them mean.
 */
export class JoinSet {
  readonly joins: Join[] = [];
  readonly #ctx: CompileContext;
  readonly #byKey = new Map<string, string>();

  constructor(ctx: CompileContext) {
    this.#ctx = ctx;
  }

  get size(): number {
    return this.joins.length;
  }

  /** `parent.author_id = author.id` */
  forward(parentAlias: string, field: ForeignKey, kind: 'left' | 'inner' = 'left'): string {
    return this.#join(`${parentAlias}>${field.name}`, (alias) => {
      const target = field.target;
      return { kind, table: target.meta.table, alias, model: target, on: sql`${columnRef(alias, target.meta.pk.column)} = ${columnRef(parentAlias, field.column)}` };
    });
  }

  /** `author.id = post.author_id` (one row per related row). */
  reverse(parentAlias: string, relation: ReverseRelation): string {
    return this.#join(`${parentAlias}<${relation.name}`, (alias) => {
      const { field, related, model } = relation;
      return { kind: 'left', table: related.meta.table, alias, model: related, on: sql`${columnRef(alias, field.column)} = ${columnRef(parentAlias, model.meta.pk.column)}` };
    });
  }

  /** Through the join table to the related rows. */
  many(parentAlias: string, relation: ManyRelation): string {
    const { link, ownKey, otherKey, related, model } = relation;
    const throughAlias = this.#join(`${parentAlias}<${relation.name}#through`, (alias) => ({
      kind: 'left',
      table: link.through.meta.table,
      alias,
      model: link.through,
      on: sql`${columnRef(alias, ownKey.column)} = ${columnRef(parentAlias, model.meta.pk.column)}`,
    }));
    return this.#join(`${parentAlias}<${relation.name}`, (alias) => ({
      kind: 'left',
      table: related.meta.table,
      alias,
      model: related,
      on: sql`${columnRef(alias, related.meta.pk.column)} = ${columnRef(throughAlias, otherKey.column)}`,
    }));
  }

  /** The joins as SQL, for subqueries built as raw fragments. */
  toSql(): Sql {
    if (this.joins.length === 0) return sql``;
    return sql.join(
      this.joins.map((join) => sql` ${sql.raw(join.kind === 'inner' ? 'inner join' : 'left join')} ${sql.table(join.table)} as ${sql.id(join.alias)} on ${join.on}`),
      sql``,
    );
  }

  #join(key: string, make: (alias: string) => Join): string {
    const existing = this.#byKey.get(key);
    if (existing) return existing;
    const join = make(this.#ctx.nextAlias());
    this.joins.push(join);
    this.#byKey.set(key, join.alias);
    return join.alias;
  }
}
