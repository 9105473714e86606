import { Field, type AnyField, type Dialect } from '../fields/field.js';
import { ForeignKey } from '../fields/relation-fields.js';
import { InstanceState, STATE } from '../model/instance-state.js';
import type { AnyModel } from '../model/model.js';
import { instanceConstructor, type ColumnReader, type InstanceConstructor } from './instance-factory.js';

/** One column of a result row and the instance property it fills. */
export type ColumnPlan = ColumnReader;

/** A value computed by the query (annotation) stored on each instance. */
export interface ExtraPlan {
  readonly key: string;
  readonly convert: (raw: unknown) => unknown;
}

/** A selectRelated object built from the same row. */
export interface RelatedPlan {
  readonly name: string;
  readonly plan: HydrationPlan;
  /** For a one-to-one: the accessor on the related object that points back (`profile.author` -> `author.profile`). */
  readonly reverseName: string | null;
}

/**
 * Everything needed to turn rows into instances, computed once per query
 * shape (and cached for the common "all columns" shape), so hydrating a row
 * is one `new` of a generated constructor: no closures or property
 * definitions per row.
 */
export interface HydrationPlan {
  readonly model: AnyModel;
  readonly dialect: Dialect;
  readonly columns: readonly ColumnPlan[];
  /** Builds an instance from a row (the columns above, converted). */
  readonly create: InstanceConstructor;
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
  const columns = fields.map((field) => ({ key: prefix + field.column, attname: attnameOf(field), field, convert: field.fromDb !== identityFromDb }));
  return {
    model,
    dialect,
    columns,
    create: instanceConstructor(model, columns),
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

/**
 * An unsaved instance of `model` with every column `undefined` (build()
 * fills them): made by the same constructor as loaded rows, so built and
 * loaded instances share one hidden class.
 */
export function blankInstance(model: AnyModel, state: InstanceState): Record<string | symbol, unknown> {
  // Every dialect's full plan shares one constructor, and a blank reads no row: any dialect will do.
  return new (fullPlan(model, 'sqlite').create)(null, state, 'sqlite');
}

/** Build one instance (and its selectRelated objects) from a row, each with its own state. */
export function hydrateRow(plan: HydrationPlan, row: Record<string, unknown>, db: string, peers: readonly object[] | null = null): Record<string | symbol, unknown> {
  const state = new InstanceState(db, false);
  state.peers = peers;
  const instance = new plan.create(row, state, plan.dialect);
  const extras = plan.extras;
  for (let i = 0; i < extras.length; i++) instance[extras[i]!.key] = extras[i]!.convert(row[extras[i]!.key]);
  const related = plan.related;
  for (let i = 0; i < related.length; i++) {
    const { name, plan: child, reverseName } = related[i]!;
    const key = row[child.pkKey];
    const target = key === null || key === undefined ? null : hydrateRow(child, row, db);
    state.set(name, target);
    if (target && reverseName) (target[STATE] as InstanceState).set(reverseName, instance);
  }
  return instance;
}

/**
 * Hydrate a result set; instances loaded together know each other as peers
 * (for load() without N+1). Plain rows share one state until stateOf() is
 * first called on one of them (see InstanceState).
 */
export function hydrateRows(plan: HydrationPlan, rows: readonly Record<string, unknown>[], db: string): object[] {
  const count = rows.length;
  const out = new Array<object>(count);
  const peers = count > 1 ? out : null;
  if (plan.related.length === 0) {
    const shared = new InstanceState(db, false, true);
    shared.peers = peers;
    const { create: Create, dialect, extras } = plan;
    for (let i = 0; i < count; i++) {
      const row = rows[i]!;
      const instance = new Create(row, shared, dialect);
      for (let j = 0; j < extras.length; j++) instance[extras[j]!.key] = extras[j]!.convert(row[extras[j]!.key]);
      out[i] = instance;
    }
  } else {
    for (let i = 0; i < count; i++) out[i] = hydrateRow(plan, rows[i]!, db, peers);
  }
  return out;
}
