import { prefetchRelated } from '../relations/prefetch.js';
import { ensureRelations } from '../relations/resolve-relations.js';
import { compileCached } from './compile-cache.js';
import { compileAggregate, compileCount, compileExists, compileSelect, type ValuesPlan } from './compile-select.js';
import { compilerOf, dialectOf, executorOf, run, runCompiled } from './database.js';
import type { Expression } from './expressions.js';
import { hydrateRows, type HydrationPlan } from './hydrate.js';
import { aliasOf, type QueryState } from './query-state.js';

interface SelectPlans {
  readonly hydration: HydrationPlan | null;
  readonly values: ValuesPlan | null;
}

/** Run a queryset's SELECT: instances (with prefetches) or values() rows. */
export async function fetchResults(state: QueryState): Promise<unknown[]> {
  ensureRelations();
  const alias = aliasOf(state);
  const dialect = dialectOf(alias);
  const { compiled, extra, reusable } = compileCached<SelectPlans>('select', state, dialect, (s, slots) => {
    const { query, hydration, values } = compileSelect(s, compilerOf(alias), dialect, slots);
    return { query, extra: { hydration, values } };
  });
  const rows = (await runCompiled(compiled, alias, state.model, reusable)) as Array<Record<string, unknown>>;
  if (extra.values) return projectRows(extra.values, rows, state.projection!.kind === 'list' ? (state.projection!.flat ? 'flat' : 'list') : 'values');
  const instances = hydrateRows(extra.hydration!, rows, alias);
  if (state.prefetch.length > 0) await prefetchRelated(state.model, instances, state.prefetch, alias);
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
  const { compiled, reusable } = compileCached('count', state, dialect, (s, slots) => ({ query: compileCount(s, compilerOf(alias), dialect, slots), extra: null }));
  const rows = (await runCompiled(compiled, alias, state.model, reusable)) as Array<{ count: unknown }>;
  return Number(rows[0]?.count ?? 0);
}

export async function fetchExists(state: QueryState): Promise<boolean> {
  ensureRelations();
  const alias = aliasOf(state);
  const dialect = dialectOf(alias);
  const { compiled, reusable } = compileCached('exists', state, dialect, (s, slots) => ({ query: compileExists(s, compilerOf(alias), dialect, slots), extra: null }));
  return (await runCompiled(compiled, alias, state.model, reusable)).length > 0;
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
