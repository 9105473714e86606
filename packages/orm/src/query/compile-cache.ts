import { createQueryId, type CompiledQuery, type QueryId, type RootOperationNode } from 'kysely';
import type { Dialect } from '../fields/field.js';
import type { AnyModel } from '../model/model.js';
import type { SliceSlots } from './compile-select.js';
import { ParamSlot } from './param-slot.js';
import { isPlainObject } from './compile-where.js';
import { isScalar, isUniqueLookup, shapeOf } from './query-shape.js';
import { initialState, type QueryState } from './query-state.js';
import { isQNode, NO_CONDITIONS, type WhereInput } from './where-input.js';

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

/**
 * A compiled query ready to run, one object per run: its SQL, parameters,
 * the plans that go with its SQL (`extra`, compileCached()), whether its
 * SQL text is a cached one that will run again (`reusable`) and whether at
 * most one row can match (`oneRow`). Kysely's query id is made only when
 * asked for (the query went through Kysely's executor, inside atomic()):
 * the direct paths (runNow, runPooled) never read it, and a primary-key
 * lookup should not allocate what it does not use. One class, not a base
 * and a subclass: V8 inlines its constructor where a derived one was a
 * generic construct call (about 200 instructions per get()).
 */
export class CompiledStatement<E = null> implements CompiledQuery {
  #queryId: QueryId | undefined = undefined;
  constructor(
    readonly sql: string,
    readonly query: RootOperationNode,
    readonly parameters: readonly unknown[],
    readonly extra: E,
    readonly reusable: boolean,
    /** At most one row can match (a primary-key or unique lookup): the driver may stop at the first. */
    readonly oneRow: boolean,
  ) {}
  get queryId(): QueryId {
    return (this.#queryId ??= createQueryId());
  }
}

/** What compileCached() returns. */
export type CachedCompilation<E> = CompiledStatement<E>;

/** A compiled shape and the plans that go with its SQL. */
interface CachedQuery<E> extends QueryTemplate {
  readonly extra: E;
  readonly oneRow: boolean;
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
  getMemos = new WeakMap();
  lastMemo = null;
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
  return new CompiledStatement(template.sql, template.query, fill(template, values), null, true, false);
}

/** The template's parameter list with `values` in its slots. */
function fill(template: QueryTemplate, values: readonly unknown[]): unknown[] {
  const parameters = template.parameters.slice();
  const positions = template.positions;
  for (let i = 0; i < positions.length; i++) {
    const position = positions[i]!;
    const slot = parameters[position] as ParamSlot;
    const value = values[slot.index];
    parameters[position] = value === null || value === undefined || !slot.field ? value : slot.field.toDb(value, slot.dialect);
  }
  return parameters;
}

/** `state` with `more` conditions after its own and `limit` (states are never changed, only copied). */
export function narrowed(state: QueryState, more: readonly WhereInput[], limit: number | null): QueryState {
  if (more.length === 0 && limit === state.limit) return state;
  return { ...state, where: more.length === 0 ? state.where : [...state.where, ...more], limit };
}

/**
 * Compile `state` with `compile`, once per shape (query-shape.ts): the SQL
 * and the plans are kept per model, and running the same shape again only
 * converts its values into the parameter list. Querysets whose shape is
 * not cacheable are compiled every time. `more` and `limit` stand for
 * `narrowed(state, more, limit)` (get() adds its conditions and LIMIT 21)
 * without copying the state when the shape is cached. Kind 'get' is get()
 * on a state without slice (`limit` 21): a shape whose lookup is on a
 * unique field drops the LIMIT, decided once when the shape is compiled.
 * @example
 * const compiled = compileCached('select', state, 'sqlite', (s, slots) => ({ query: compileSelect(s, db, 'sqlite', slots).query, extra: null }));
 * compiled.sql; compiled.parameters; compiled.extra;
 */
export function compileCached<E>(
  kind: string,
  state: QueryState,
  dialect: Dialect,
  compile: (state: QueryState, slots?: SliceSlots) => Compilation<E>,
  more: readonly WhereInput[] = NO_CONDITIONS,
  limit: number | null = state.limit,
): CachedCompilation<E> {
  if (kind === 'get' && more.length === 1) {
    const known = knownGet<E>(state, dialect, more[0]);
    if (known !== null) return known;
  }
  const shape = shapeOf(kind, state, dialect, false, more, limit);
  if (!shape) return compileNow(uncachedState(kind, state, more, limit), compile);
  let shapes = caches.get(state.model);
  if (!shapes) caches.set(state.model, (shapes = new Map()));
  let entry = shapes.get(shape.key) as CachedQuery<E> | typeof NOT_REUSABLE | undefined;
  if (entry === undefined) {
    const full = narrowed(state, more, limit);
    const compiled = compileShape(kind, full, dialect, compile);
    // A shape that does not compile is not remembered: the queryset raises its own error below,
    // and untrusted input cannot push good shapes out of the cache with failing ones.
    if (compiled === FAILED) return rememberIfCompiles(shapes, shape.key, uncachedState(kind, state, more, limit), compile);
    entry = compiled ?? NOT_REUSABLE;
    remember(shapes, shape.key, entry);
  }
  if (entry === NOT_REUSABLE) return compileNow(uncachedState(kind, state, more, limit), compile);
  const parameters = fill(entry, shape.values);
  if (kind === 'get' && more.length === 1) rememberGet(state, dialect, more[0], entry, shape.values, parameters, shape.firstMore);
  return new CompiledStatement(entry.sql, entry.query, parameters, entry.extra, true, entry.oneRow);
}

/**
 * The state a query of `kind` runs as when it is compiled as it is
 * (uncached): `state` narrowed by `more` and `limit`, where get()'s LIMIT 21
 * is dropped for an equality on a unique field, which matches one row at
 * most. A cached 'get' shape decides this once, when it is compiled
 * (compileShape).
 */
function uncachedState(kind: string, state: QueryState, more: readonly WhereInput[], limit: number | null): QueryState {
  return narrowed(state, more, kind === 'get' && isUniqueLookup(state, more) ? null : limit);
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
  const compiled = query.compile();
  return new CompiledStatement(compiled.sql, compiled.query, compiled.parameters, extra, false, false);
}

const FAILED = Symbol('failed to compile');

/** Compile the shape with ParamSlots for its values; null when the result cannot be reused safely, FAILED when it threw. */
function compileShape<E>(kind: string, state: QueryState, dialect: Dialect, compile: (state: QueryState, slots?: SliceSlots) => Compilation<E>): CachedQuery<E> | null | typeof FAILED {
  // Every state of this shape filters the same way, so the unique-lookup test holds for all of them.
  const oneRow = (kind === 'select' || kind === 'get') && isUniqueLookup(state);
  // A unique get() runs without its LIMIT 21: the key still counts that value (the last one), which no slot reads then.
  if (kind === 'get' && oneRow) state = { ...state, limit: null };
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
  return template ? { ...template, extra, oneRow } : null;
}

/**
 * The get() calls of `Model.objects` (the manager's state, the model's
 * initial one, on one dialect) whose only condition is one name equal to a
 * scalar (`Model.objects.get({ id })`, the usual form), by that name: their
 * shape depends on nothing else, so once it is compiled, the next calls
 * skip building the shape key (a walk of seven Map lookups), the per-model
 * shape lookup and the unique-field test, and put one value into
 * parameters prepared once. Only that state: a get() on a filtered
 * queryset usually comes with a state of its own, and a memo made for each
 * would only cost.
 */
class GetMemo {
  readonly byName = new Map<string, KnownGet>();
  lastName: string | undefined = undefined;
  last: KnownGet | undefined = undefined;
  constructor(
    readonly state: QueryState,
    readonly dialect: Dialect,
  ) {}
}

interface KnownGet {
  readonly entry: CachedQuery<unknown>;
  /** The entry's parameters with its other values (a LIMIT) filled; the get() value goes at `positions`. */
  readonly parameters: readonly unknown[];
  readonly positions: readonly number[];
  /** The slot of the get() value: the field that converts it. */
  readonly slot: ParamSlot;
}

// Names kept per model: the fields of a model, used as get() keys, are a handful.
const MAX_GET_NAMES = 32;
let getMemos = new WeakMap<AnyModel, GetMemo>();
/** The memo found last: N get() calls of one request are on one model, found without hashing. */
let lastMemo: GetMemo | null = null;

/** The memo of `state` when it is its model's initial state, else undefined (a state of the same model answers without a lookup). */
function memoOf(state: QueryState): GetMemo | undefined {
  const model = state.model;
  const memo = lastMemo !== null && lastMemo.state.model === model ? lastMemo : getMemos.get(model);
  if (memo === undefined) return undefined;
  lastMemo = memo;
  return memo.state === state ? memo : undefined;
}

/** The one name of a get() condition whose shape is the same for every value of it, else undefined. */
function singleScalarName(condition: WhereInput | undefined): string | undefined {
  if (typeof condition !== 'object' || condition === null) return undefined;
  let name: string | undefined;
  for (const key in condition) {
    if (name !== undefined) return undefined;
    name = key;
  }
  // `isnull`'s value is part of the shape (IS NULL or IS NOT NULL).
  if (name === undefined || name === 'isnull' || !isScalar((condition as Record<string, unknown>)[name])) return undefined;
  return isPlainObject(condition) && !isQNode(condition) ? name : undefined;
}

/** compileCached('get', state, dialect, ..., [condition]) when the memo of `state` knows the condition's shape, else null. */
function knownGet<E>(state: QueryState, dialect: Dialect, condition: WhereInput | undefined): CachedCompilation<E> | null {
  const memo = memoOf(state);
  if (memo === undefined || memo.dialect !== dialect) return null;
  const name = singleScalarName(condition);
  if (name === undefined) return null;
  // The same name as the last call (nearly always, `id`): no Map lookup.
  const known = name === memo.lastName ? memo.last : memo.byName.get(name);
  if (known === undefined) return null;
  memo.lastName = name;
  memo.last = known;
  const value = (condition as Record<string, unknown>)[name!];
  const { slot, positions, entry } = known;
  const converted = slot.field ? slot.field.toDb(value, slot.dialect) : value;
  let parameters: unknown[];
  if (known.parameters.length === 1) parameters = [converted];
  else {
    parameters = known.parameters.slice();
    for (let i = 0; i < positions.length; i++) parameters[positions[i]!] = converted;
  }
  return new CompiledStatement(entry.sql, entry.query, parameters, entry.extra as E, true, entry.oneRow);
}

/**
 * Remember a compiled get() of `state` for knownGet() when it is its
 * model's initial state: `values` are its shape's values (the
 * condition's at `valueIndex`), `filled` its parameters. Not when another
 * value is an object, which is converted on every run instead (only a
 * LIMIT can be there today).
 */
function rememberGet(state: QueryState, dialect: Dialect, condition: WhereInput | undefined, entry: CachedQuery<unknown>, values: readonly unknown[], filled: readonly unknown[], valueIndex: number): void {
  // A filtered state (the usual other caller, once per call) is turned away before the WeakMap lookup of initialState().
  if (state.where.length !== 0 || state !== initialState(state.model)) return;
  const name = singleScalarName(condition);
  if (name === undefined) return;
  let memo = memoOf(state);
  // One dialect per model, the first one seen: a model read from SQLite and PostgreSQL in turn would otherwise make a memo per switch.
  if (memo === undefined) getMemos.set(state.model, (lastMemo = memo = new GetMemo(state, dialect)));
  else if (memo.dialect !== dialect) return;
  if (memo.byName.size >= MAX_GET_NAMES || memo.byName.has(name)) return;
  for (let i = 0; i < values.length; i++) if (i !== valueIndex && typeof values[i] === 'object' && values[i] !== null) return;
  const positions: number[] = [];
  let slot: ParamSlot | undefined;
  for (const position of entry.positions) {
    const candidate = entry.parameters[position] as ParamSlot;
    if (candidate.index !== valueIndex) continue;
    positions.push(position);
    slot = candidate;
  }
  if (slot === undefined) return;
  memo.byName.set(name, { entry, parameters: filled.slice(), positions, slot });
}
