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

/** What compileCached() returns: the query to run, its plans, and whether its SQL text is a cached one that will run again. */
export interface CachedCompilation<E> {
  readonly compiled: CompiledQuery;
  readonly extra: E;
  readonly reusable: boolean;
}

/** A compiled shape and the plans that go with its SQL. */
interface CachedQuery<E> extends QueryTemplate {
  readonly extra: E;
}

// Shapes compiled per model; past this many the oldest are dropped (an app has a bounded set of shapes).
const MAX_SHAPES_PER_MODEL = 300;
/** Marks a shape whose compiled form cannot be reused (a value reached the SQL other than as a parameter). */
const NOT_REUSABLE = Symbol('not reusable');

let caches = new WeakMap<AnyModel, Map<string, CachedQuery<unknown> | typeof NOT_REUSABLE>>();

/**
 * Forget every compiled shape: a model was declared, so names in filters may
 * now resolve differently (new reverse relations). Called by model().
 */
export function forgetCompiledQueries(): void {
  caches = new WeakMap();
}

/**
 * The template of a query compiled with ParamSlots 0..slotCount-1, or null
 * when it cannot be reused safely: a slot that did not become a parameter
 * (its value went into the SQL text some other way), or one bound to two
 * different fields.
 */
export function templateOf(compiled: CompiledQuery, slotCount: number): QueryTemplate | null {
  const positions: number[] = [];
  const seen = new Set<number>();
  compiled.parameters.forEach((parameter, position) => {
    if (!(parameter instanceof ParamSlot)) return;
    positions.push(position);
    seen.add(parameter.index);
    if (parameter.field === undefined || parameter.conflict) seen.add(-1);
  });
  if (seen.has(-1) || seen.size !== slotCount) return null;
  return { sql: compiled.sql, query: compiled.query, parameters: compiled.parameters, positions };
}

/**
 * The template's query with `values` in its slots, each converted by the
 * field its slot was bound to (toDb; null stays NULL).
 * @example
 * executor.executeQuery(instantiate(template, [title, id]));
 */
export function instantiate(template: QueryTemplate, values: readonly unknown[]): CompiledQuery {
  const parameters = template.parameters.slice();
  const positions = template.positions;
  for (let i = 0; i < positions.length; i++) {
    const position = positions[i]!;
    const slot = parameters[position] as ParamSlot;
    const value = values[slot.index];
    parameters[position] = value === null || value === undefined || !slot.field ? value : slot.field.toDb(value, slot.dialect);
  }
  return { sql: template.sql, query: template.query, parameters, queryId: createQueryId() };
}

/**
 * Compile `state` with `compile`, once per shape (query-shape.ts): the SQL
 * and the plans are kept per model, and running the same shape again only
 * converts its values into the parameter list. Querysets whose shape is
 * not cacheable are compiled every time.
 * @example
 * const { compiled, extra } = compileCached('select', state, 'sqlite', (s, slots) => ({ query: compileSelect(s, db, 'sqlite', slots).query, extra: null }));
 */
export function compileCached<E>(
  kind: string,
  state: QueryState,
  dialect: Dialect,
  compile: (state: QueryState, slots?: SliceSlots) => Compilation<E>,
): CachedCompilation<E> {
  const shape = shapeOf(kind, state, dialect, false);
  if (!shape) return compileNow(state, compile);
  let shapes = caches.get(state.model);
  if (!shapes) caches.set(state.model, (shapes = new Map()));
  let entry = shapes.get(shape.key) as CachedQuery<E> | typeof NOT_REUSABLE | undefined;
  if (entry === undefined) {
    const compiled = compileShape(kind, state, dialect, compile);
    // A shape that does not compile is not remembered: the queryset raises its own error below,
    // and untrusted input cannot push good shapes out of the cache with failing ones.
    if (compiled === FAILED) return rememberIfCompiles(shapes, shape.key, state, compile);
    entry = compiled ?? NOT_REUSABLE;
    remember(shapes, shape.key, entry);
  }
  if (entry === NOT_REUSABLE) return compileNow(state, compile);
  return { compiled: instantiate(entry, shape.values), extra: entry.extra, reusable: true };
}

type ShapeCache = Map<string, CachedQuery<unknown> | typeof NOT_REUSABLE>;

function remember(shapes: ShapeCache, key: string, entry: CachedQuery<unknown> | typeof NOT_REUSABLE): void {
  if (shapes.size >= MAX_SHAPES_PER_MODEL) shapes.delete(shapes.keys().next().value!);
  shapes.set(key, entry);
}

/** The slotted compilation failed: compile with the real values (throwing their error); if that works, run this shape uncached. */
function rememberIfCompiles<E>(shapes: ShapeCache, key: string, state: QueryState, compile: (state: QueryState) => Compilation<E>): CachedCompilation<E> {
  const result = compileNow(state, compile);
  remember(shapes, key, NOT_REUSABLE);
  return result;
}

function compileNow<E>(state: QueryState, compile: (state: QueryState) => Compilation<E>): CachedCompilation<E> {
  const { query, extra } = compile(state);
  return { compiled: query.compile(), extra, reusable: false };
}

const FAILED = Symbol('failed to compile');

/** Compile the shape with ParamSlots for its values; null when the result cannot be reused safely, FAILED when it threw. */
function compileShape<E>(kind: string, state: QueryState, dialect: Dialect, compile: (state: QueryState, slots?: SliceSlots) => Compilation<E>): CachedQuery<E> | null | typeof FAILED {
  const shape = shapeOf(kind, state, dialect, true);
  if (!shape?.slotted) return null;
  shape.limitSlot?.bind(null, dialect);
  shape.offsetSlot?.bind(null, dialect);
  let compiled: CompiledQuery;
  let extra: E;
  try {
    const result = compile({ ...state, where: shape.slotted }, { limit: shape.limitSlot, offset: shape.offsetSlot });
    compiled = result.query.compile();
    extra = result.extra;
  } catch {
    // Compiled with the real values, the queryset raises its own error (or runs uncached).
    return FAILED;
  }
  const template = templateOf(compiled, shape.values.length);
  return template ? { ...template, extra } : null;
}
