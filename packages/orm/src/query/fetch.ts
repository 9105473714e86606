import { prefetchRelated } from '../relations/prefetch.js';
import { ensureRelations } from '../relations/resolve-relations.js';
import { compileCached, type Compilation } from './compile-cache.js';
import { compileAggregate, compileCount, compileExists, compileSelect, type SliceSlots, type ValuesPlan } from './compile-select.js';
import { compilerOf, databaseOf, dialectOf, executorOf, run, runCompiled, runCompiledThen } from './database.js';
import type { Expression } from './expressions.js';
import { hydrateRows, type HydrationPlan } from './hydrate.js';
import { aliasOf, type QueryState } from './query-state.js';
import { NO_CONDITIONS, type WhereInput } from './where-input.js';

interface SelectPlans {
  readonly hydration: HydrationPlan | null;
  readonly values: ValuesPlan | null;
}

/**
 * Run a queryset's SELECT, narrowed by `more` conditions and `limit` when
 * given (first() and the like): instances (with prefetches) or values() rows.
 */
export function fetchResults(state: QueryState, more: readonly WhereInput[] = NO_CONDITIONS, limit: number | null = state.limit): Promise<unknown[]> {
  try {
    const results = selectResultsThen('select', state, more, limit, null, undefined) as unknown[] | Promise<unknown[]>;
    return Array.isArray(results) ? Promise.resolve(results) : results;
  } catch (error) {
    return Promise.reject(error);
  }
}

// One module-level function rather than a closure per query: the alias and dialect are the state's.
function compileWithPlans(state: QueryState, slots?: SliceSlots): Compilation<SelectPlans> {
  const alias = aliasOf(state);
  const { query, hydration, values } = compileSelect(state, compilerOf(alias), dialectOf(alias), slots);
  return { query, extra: { hydration, values } };
}

/**
 * The SELECT of `state` narrowed by `more` conditions and `limit` (kind
 * 'get': get()'s LIMIT 21, dropped for a unique lookup; see compileCached), its
 * results handed on to `then(results, state, arg)` (get()'s one-row check;
 * null: the results themselves) in the same promise step as the rows (see
 * runCompiledThen), rather than in a `.then` of its own. At once when the
 * database answered at once (SQLite outside transactions) and there is
 * nothing to prefetch, else a promise. Throws synchronously when compiling
 * or running fails at once; fetchResults() and get() turn that into a
 * rejection.
 */
export function selectResultsThen<A, T>(
  kind: 'select' | 'get',
  state: QueryState,
  more: readonly WhereInput[],
  limit: number | null,
  then: ((results: unknown[], state: QueryState, arg: A) => T) | null,
  arg: A,
): T | Promise<T> {
  ensureRelations();
  const alias = aliasOf(state);
  const database = databaseOf(alias);
  const compiled = compileCached<SelectPlans>(kind, state, database.dialect, compileWithPlans, more, limit);
  return runCompiledThen(compiled, database, state.model, compiled.reusable, compiled.oneRow, finishSelect<A, T>, { state, plans: compiled.extra, alias, then, arg });
}

interface SelectStep<A, T> {
  readonly state: QueryState;
  readonly plans: SelectPlans;
  readonly alias: string;
  readonly then: ((results: unknown[], state: QueryState, arg: A) => T) | null;
  readonly arg: A;
}

// One module-level function and a plain object per query rather than closures.
function finishSelect<A, T>(rows: unknown[], step: SelectStep<A, T>): T | Promise<T> {
  const { state, then, arg } = step;
  const results = resultsOf(state, step.plans, rows as Array<Record<string, unknown>>, step.alias);
  if (then === null) return results as T | Promise<T>;
  return Array.isArray(results) ? then(results, state, arg) : results.then((found) => then(found, state, arg));
}

function resultsOf(state: QueryState, plans: SelectPlans, rows: Array<Record<string, unknown>>, alias: string): unknown[] | Promise<unknown[]> {
  if (plans.values) return projectRows(plans.values, rows, state.projection!.kind === 'list' ? (state.projection!.flat ? 'flat' : 'list') : 'values');
  const instances = hydrateRows(plans.hydration!, rows, alias);
  if (state.prefetch.length > 0) return prefetchRelated(state.model, instances, state.prefetch, alias).then(() => instances);
  return instances;
}

function projectRows(plan: ValuesPlan, rows: ReadonlyArray<Record<string, unknown>>, shape: 'values' | 'list' | 'flat'): unknown[] {
  const { keys, names, converters } = plan;
  const width = keys.length;
  if (shape === 'flat') {
    const key = keys[0]!;
    const convert = converters[0]!;
    return rows.map((row) => convert(row[key]));
  }
  return rows.map((row) => {
    if (shape === 'list') {
      const tuple = new Array<unknown>(width);
      for (let i = 0; i < width; i++) tuple[i] = converters[i]!(row[keys[i]!]);
      return tuple;
    }
    const out: Record<string, unknown> = {};
    for (let i = 0; i < width; i++) out[names[i]!] = converters[i]!(row[keys[i]!]);
    return out;
  });
}

export async function fetchCount(state: QueryState): Promise<number> {
  ensureRelations();
  const alias = aliasOf(state);
  const dialect = dialectOf(alias);
  const compiled = compileCached('count', state, dialect, (s, slots) => ({ query: compileCount(s, compilerOf(alias), dialect, slots), extra: null }));
  const rows = (await runCompiled(compiled, alias, state.model, compiled.reusable)) as Array<{ count: unknown }>;
  return Number(rows[0]?.count ?? 0);
}

export async function fetchExists(state: QueryState): Promise<boolean> {
  ensureRelations();
  const alias = aliasOf(state);
  const dialect = dialectOf(alias);
  const compiled = compileCached('exists', state, dialect, (s, slots) => ({ query: compileExists(s, compilerOf(alias), dialect, slots), extra: null }));
  return (await runCompiled(compiled, alias, state.model, compiled.reusable)).length > 0;
}

export async function fetchAggregate(state: QueryState, spec: Readonly<Record<string, Expression>>): Promise<Record<string, unknown>> {
  ensureRelations();
  const alias = aliasOf(state);
  const { query, converters } = compileAggregate(state, new Map(Object.entries(spec)), executorOf(alias), dialectOf(alias));
  const row = ((await run(query, state.model)) as Array<Record<string, unknown>>)[0] ?? {};
  const out: Record<string, unknown> = {};
  for (const [name, convert] of converters) out[name] = convert(row[name] ?? null);
  return out;
}
