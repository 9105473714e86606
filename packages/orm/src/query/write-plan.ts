import { Field, type AnyField } from '../fields/field.js';
import { ManyToManyField } from '../fields/relation-fields.js';
import { DateField, DateTimeField } from '../fields/temporal-fields.js';
import type { AnyModel } from '../model/model.js';
import { attnameOf } from './hydrate.js';

/** How one column is written: the facts insert and update look up per row, computed once per model. */
export interface ColumnWrite {
  readonly field: AnyField;
  /** Position in the model's column fields. */
  readonly index: number;
  /** Instance property (`authorId` for a foreign key). */
  readonly attname: string;
  readonly column: string;
  readonly isPk: boolean;
  /** The database assigns it when left unset (auto keys). */
  readonly generated: boolean;
  /** A default (value or function) is declared. */
  readonly hasDefault: boolean;
  /** Set to now on insert (autoNow or autoNowAdd): 'datetime' gives a Date, 'date' 'YYYY-MM-DD'. */
  readonly nowOnInsert: 'datetime' | 'date' | null;
  /** Set to now on every save (autoNow). */
  readonly nowOnUpdate: 'datetime' | 'date' | null;
  /** False when toDb() is the identity. */
  readonly converts: boolean;
}

/** What build()/create() accept under a name: a column (by field name or `<fk>Id`), a foreign key object, or a many-to-many list. */
export interface AssignTarget {
  readonly field: AnyField;
  readonly attname: string;
  readonly kind: 'column' | 'foreignKey' | 'manyToMany';
}

export interface WritePlan {
  readonly columns: readonly ColumnWrite[];
  /** The primary key's column. */
  readonly pk: ColumnWrite;
  /** Columns the database may generate, in column order (at most 30 are tracked in an insert's signature). */
  readonly generated: readonly ColumnWrite[];
  /** Every name build()/create() accept ('pk' included). */
  readonly assign: ReadonlyMap<string, AssignTarget>;
}

const identityToDb = Field.prototype.toDb;
const plans = new WeakMap<AnyModel, WritePlan>();

function nowKind(field: AnyField, onInsert: boolean): 'datetime' | 'date' | null {
  if (!(field instanceof DateField || field instanceof DateTimeField)) return null;
  const applies = onInsert ? field.autoNow || field.autoNowAdd : field.autoNow;
  if (!applies) return null;
  return field instanceof DateTimeField ? 'datetime' : 'date';
}

/**
 * The write plan of a model, made on first use: fields never change after
 * model() (a re-declared model is a new object, with its own plan).
 * @example
 * for (const column of writePlan(Post).columns) values[column.column] = post[column.attname];
 */
export function writePlan(model: AnyModel): WritePlan {
  let plan = plans.get(model);
  if (plan) return plan;
  const pk = model.meta.pk;
  const columns = model.meta.columnFields.map(
    (field, index): ColumnWrite => ({
      field,
      index,
      attname: attnameOf(field),
      column: field.column,
      isPk: field === pk,
      generated: field.isGenerated,
      hasDefault: field.options.default !== undefined,
      nowOnInsert: nowKind(field, true),
      nowOnUpdate: nowKind(field, false),
      converts: field.toDb !== identityToDb,
    }),
  );
  const assign = new Map<string, AssignTarget>();
  for (const [name, field] of model.meta.fieldMap) {
    if (field instanceof ManyToManyField) assign.set(name, { field, attname: name, kind: 'manyToMany' });
    else assign.set(name, { field, attname: attnameOf(field), kind: name === field.name && field.isRelation ? 'foreignKey' : 'column' });
  }
  // 'pk' always names the primary key, as in filters.
  assign.set('pk', { field: pk, attname: attnameOf(pk), kind: 'column' });
  plan = { columns, pk: columns.find((column) => column.isPk)!, generated: columns.filter((column) => column.generated), assign };
  plans.set(model, plan);
  return plan;
}

/** `now` as a column of `kind` holds it. */
export function nowValue(kind: 'datetime' | 'date', now: Date): Date | string {
  return kind === 'datetime' ? now : now.toISOString().slice(0, 10);
}
