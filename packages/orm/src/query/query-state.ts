import type { AnyModel } from '../model/model.js';
import type { PrefetchLookup } from '../relations/prefetch.js';
import type { Expression } from './expressions.js';
import type { WhereInput } from './where-input.js';

/** values() (objects) or valuesList() (tuples, or bare values with `flat`). */
export type Projection = { readonly kind: 'values'; readonly fields: readonly string[] } | { readonly kind: 'list'; readonly fields: readonly string[]; readonly flat: boolean };

/**
 * The intermediate form of a queryset: an immutable description that
 * QuerySet methods copy-and-change and compile-select.ts turns into SQL.
 */
export interface QueryState {
  readonly model: AnyModel;
  /** Database alias; null means the model's database. */
  readonly using: string | null;
  /** Conditions ANDed together (exclude() adds Q.not nodes). */
  readonly where: readonly WhereInput[];
  /** Ordering terms ('-publishedAt', 'author.name'); null means the model's default ordering. */
  readonly order: readonly string[] | null;
  readonly limit: number | null;
  readonly offset: number;
  readonly distinct: boolean;
  readonly selectRelated: readonly string[];
  readonly prefetch: readonly PrefetchLookup[];
  /** onlyFields(): the columns to load (null: all). */
  readonly only: readonly string[] | null;
  /** defer(): columns not to load. */
  readonly defer: readonly string[];
  /** annotate(): computed values by name, in order. */
  readonly annotations: ReadonlyMap<string, Expression>;
  /** True when values() came before the first aggregate annotation: GROUP BY the values. */
  readonly groupByValues: boolean;
  readonly projection: Projection | null;
  /** SELECT ... FOR UPDATE (PostgreSQL; SQLite locks the whole database on write anyway). */
  readonly forUpdate: boolean;
}

const initialStates = new WeakMap<AnyModel, QueryState>();
const NO_ANNOTATIONS: ReadonlyMap<string, Expression> = new Map();

/** The state of `Model.objects.all()`: made once per model (states are never changed, only copied). */
export function initialState(model: AnyModel): QueryState {
  let state = initialStates.get(model);
  if (!state) initialStates.set(model, (state = emptyState(model)));
  return state;
}

function emptyState(model: AnyModel): QueryState {
  return {
    model,
    using: null,
    where: [],
    order: null,
    limit: null,
    offset: 0,
    distinct: false,
    selectRelated: [],
    prefetch: [],
    only: null,
    defer: [],
    annotations: NO_ANNOTATIONS,
    groupByValues: false,
    projection: null,
    forUpdate: false,
  };
}

export function aliasOf(state: QueryState): string {
  return state.using ?? state.model.meta.database;
}
