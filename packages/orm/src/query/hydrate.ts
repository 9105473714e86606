import { Field, type AnyField, type Dialect } from '../fields/field.js';
import { ForeignKey } from '../fields/relation-fields.js';
import { newState, STATE } from '../model/instance-state.js';
import type { AnyModel } from '../model/model.js';

/** One column of a result row and the instance property it fills. */
export interface ColumnPlan {
  /** Key in the driver's row object. */
  readonly key: string;
  /** Instance property (`authorId` for a foreign key). */
  readonly attname: string;
  readonly field: AnyField;
  /** False when the field's fromDb() is the identity: the raw value is used as is. */
  readonly convert: boolean;
}

/** A value computed by the query (annotation) stored on each instance. */
export interface ExtraPlan {
  readonly key: string;
  readonly convert: (raw: unknown) => unknown;
}

/** A selectRelated object built from the same row. */
export interface RelatedPlan {
  readonly name: string;
  readonly plan: HydrationPlan;
}

/**
 * Everything needed to turn rows into instances, computed once per query
 * shape (and cached for the common "all columns" shape), so hydrating a row
 * is a loop over arrays: no closures or property definitions per row.
 */
export interface HydrationPlan {
  readonly model: AnyModel;
  readonly prototype: object;
  readonly dialect: Dialect;
  readonly columns: readonly ColumnPlan[];
  /** Row key of the primary key (a null there means "no related row" for joins). */
  readonly pkKey: string;
  readonly extras: readonly ExtraPlan[];
  readonly related: readonly RelatedPlan[];
}

const identityFromDb = Field.prototype.fromDb;

export function attnameOf(field: AnyField): string {
  return field instanceof ForeignKey ? field.attname : field.name;
}

/** Plan for `fields` of `model`, read from row keys `prefix + column`. */
export function hydrationPlan(model: AnyModel, fields: readonly AnyField[], prefix: string, dialect: Dialect): HydrationPlan {
  return {
    model,
    prototype: model.prototype,
    dialect,
    columns: fields.map((field) => ({ key: prefix + field.column, attname: attnameOf(field), field, convert: field.fromDb !== identityFromDb })),
    pkKey: prefix + model.meta.pk.column,
    extras: [],
    related: [],
  };
}

const fullPlans = new WeakMap<AnyModel, Partial<Record<Dialect, HydrationPlan>>>();

/** The cached plan for every column of a model, unprefixed. */
export function fullPlan(model: AnyModel, dialect: Dialect): HydrationPlan {
  let byDialect = fullPlans.get(model);
  if (!byDialect) {
    byDialect = {};
    fullPlans.set(model, byDialect);
  }
  return (byDialect[dialect] ??= hydrationPlan(model, model.meta.columnFields, '', dialect));
}

/** Build one instance (and its selectRelated objects) from a row. */
export function hydrateRow(plan: HydrationPlan, row: Record<string, unknown>, db: string): Record<string | symbol, unknown> {
  const instance = Object.create(plan.prototype) as Record<string | symbol, unknown>;
  const { columns, dialect } = plan;
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!;
    const raw = row[column.key];
    instance[column.attname] = raw === null || raw === undefined ? null : column.convert ? column.field.fromDb(raw, dialect) : raw;
  }
  const extras = plan.extras;
  for (let i = 0; i < extras.length; i++) instance[extras[i]!.key] = extras[i]!.convert(row[extras[i]!.key]);
  const state = newState(db, false);
  instance[STATE] = state;
  const related = plan.related;
  for (let i = 0; i < related.length; i++) {
    const { name, plan: child } = related[i]!;
    const key = row[child.pkKey];
    state.relations.set(name, key === null || key === undefined ? null : hydrateRow(child, row, db));
  }
  return instance;
}

/** Hydrate a result set; instances loaded together know each other as peers (for load() without N+1). */
export function hydrateRows(plan: HydrationPlan, rows: readonly Record<string, unknown>[], db: string): object[] {
  const out = new Array<object>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = hydrateRow(plan, rows[i]!, db);
  if (out.length > 1) {
    for (let i = 0; i < out.length; i++) (out[i] as Record<symbol, { peers: readonly object[] | null }>)[STATE]!.peers = out;
  }
  return out;
}
