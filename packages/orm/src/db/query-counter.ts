import { AtriumError } from '@atrium/core';

/** One executed statement, as captured by `captureQueries()`. */
export interface CapturedQuery {
  alias: string;
  sql: string;
  parameters: readonly unknown[];
  durationMs: number;
}

/** `assertNumQueries()` saw a different number of queries. Lists the queries it saw. */
export class QueryCountMismatch extends AtriumError {
  readonly queries: readonly CapturedQuery[];
  constructor(expected: number, queries: readonly CapturedQuery[]) {
    const list = queries.map((q, i) => `  ${i + 1}. [${q.alias}] ${q.sql}`).join('\n');
    super('E_QUERY_COUNT', `Expected ${expected} ${expected === 1 ? 'query' : 'queries'}, ran ${queries.length}:\n${list || '  (none)'}`);
    this.queries = queries;
  }
}

// Transaction control is bookkeeping, not work the code under test asked for.
const CONTROL = /^\s*(begin|commit|rollback|savepoint|release|start transaction)\b/i;

/** The running count of one alias's statements: queryCount() reads it; a connection keeps its alias's, to count without a lookup. */
export interface QueryTally {
  readonly alias: string;
  count: number;
}

const totals = new Map<string, QueryTally>();

/** The tally of `alias` (made on first use; one per alias for the whole process). */
export function tallyOf(alias: string): QueryTally {
  let tally = totals.get(alias);
  if (!tally) totals.set(alias, (tally = { alias, count: 0 }));
  return tally;
}
const captures = new Set<CapturedQuery[]>();

/** True while captureQueries() runs: only then are statements timed and copied. */
export function capturing(): boolean {
  return captures.size > 0;
}

/**
 * Count a statement that ran on `alias` (called by the connection wrapper
 * of every configured database, once the statement succeeded). Counting is
 * an increment; the statement is only copied while a capture is active.
 * `startedAt` is the performance.now() before it ran (0 when not capturing).
 */
export function recordQuery(alias: string, query: { readonly sql: string; readonly parameters: readonly unknown[] }, startedAt: number): void {
  if (CONTROL.test(query.sql)) return;
  countStatement(tallyOf(alias), query, startedAt);
}

/**
 * recordQuery() for a statement known not to be transaction control (one
 * that returns rows), on the tally its connection keeps: no need to test
 * its text or look its alias up, which together cost more than counting.
 */
export function countStatement(tally: QueryTally, query: { readonly sql: string; readonly parameters: readonly unknown[] }, startedAt: number): void {
  tally.count++;
  if (captures.size === 0) return;
  const entry: CapturedQuery = { alias: tally.alias, sql: query.sql, parameters: query.parameters, durationMs: startedAt === 0 ? 0 : performance.now() - startedAt };
  for (const list of captures) list.push(entry);
}

/** Statements run on `alias` since the process started (transaction control excluded). */
export function queryCount(alias = 'default'): number {
  return totals.get(alias)?.count ?? 0;
}

/**
 * Run `fn` and return its result with every query it ran (on any alias;
 * BEGIN/COMMIT/SAVEPOINT excluded). Concurrent work elsewhere in the process
 * is captured too, so use it in tests that run one thing at a time.
 * @example
 * const { result, queries } = await captureQueries(() => Post.objects.filter({ id: 1 }));
 * assert.equal(queries.length, 1);
 */
export async function captureQueries<T>(fn: () => Promise<T> | T, options: { alias?: string } = {}): Promise<{ result: T; queries: CapturedQuery[] }> {
  const list: CapturedQuery[] = [];
  captures.add(list);
  try {
    const result = await fn();
    const queries = options.alias ? list.filter((q) => q.alias === options.alias) : list;
    return { result, queries };
  } finally {
    captures.delete(list);
  }
}

/**
 * Fail with a `QueryCountMismatch` listing the statements when `fn` does not
 * run exactly `expected` queries (the N+1 guard of tests).
 * @example
 * await assertNumQueries(2, async () => {
 *   const posts = await Post.objects.all().prefetchRelated('tags');
 *   for (const post of posts) post.tags.all();
 * });
 */
export async function assertNumQueries<T>(expected: number, fn: () => Promise<T> | T, options: { alias?: string } = {}): Promise<T> {
  const { result, queries } = await captureQueries(fn, options);
  if (queries.length !== expected) throw new QueryCountMismatch(expected, queries);
  return result;
}
