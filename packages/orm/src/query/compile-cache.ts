import { createQueryId, type CompiledQuery, type RootOperationNode } from 'kysely';
import type { Dialect } from '../fields/field.js';
import type { AnyModel } from '../model/model.js';
import type { SliceSlots } from './compile-select.js';
import { ParamSlot } from './param-slot.js';
import { shapeOf } from './query-shape.js';
import type { QueryState } from './query-state.js';

/** What a compiler returns for the cache: the query to compile and the plans that go with its SQL. */
export interface Compilation<E> {
  readonly query: { compile(): CompiledQuery };
  readonly extra: E;
}

/**
 * A compiled query with ParamSlots where values go: its SQL, and the
 * parameters to fill per run (instantiate()).
 */
export interface QueryTemplate {
  readonly sql: string;
  readonly query: RootOperationNode;
  /** Constant parameters, and ParamSlots where values go. */
  readonly parameters: readonly unknown[];
  /** Indexes in `parameters` that hold a slot. */
  readonly positions: readonly number[];
}

/** A compiled shape and the plans that go with its SQL. */
interface CachedQuery<E> extends QueryTemplate {
  readonly extra: E;
}

/**
 * The template of a query compiled with ParamSlots 0..slotCount-1, or null
 * when it cannot be reused safely: a slot that did not become a parameter
 * (its value went into the SQL text some other way), or one bound to two
 * different fields.
 */
export function templateOf(compiled: CompiledQuery, slotCount: number): QueryTemplate | null {
  const template = templateOf(compiled, shape.values.length);
  return template ? { ...template, extra } : null;
}
