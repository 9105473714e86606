import { connection, executor, sql, type AnyModel, type QuerySet } from '@atrium/orm';

/** Counting stops here: a list longer than this says "more than 100,000" instead of scanning every row. */
export const COUNT_LIMIT = 100_000;

/**
 * From this many rows, the total shown next to a filtered count ("500 results
 * (about 120000 total)") is PostgreSQL's estimate: an exact count costs about
 * 1 ms per 10,000 rows there, and that total is context, not pagination.
 */
export const FULL_COUNT_ESTIMATE_FROM = 10_000;

/** A row count for the changelist: exact, an upper-bounded count, or PostgreSQL's planner estimate. */
export interface RowCount {
  readonly value: number;
  /** 'exact'; 'atLeast' (more rows than `value`, counting stopped); 'estimate' (the planner's statistics). */
  readonly kind: 'exact' | 'atLeast' | 'estimate';
}

/** The counts a changelist page shows: of the listed rows, and of every row when a filter narrows the list. */
export interface ChangelistCounts {
  readonly result: RowCount;
  /** null when not counted: the list is not narrowed, or showFullResultCount is false. */
  readonly full: RowCount | null;
}

type AnyQuerySet = QuerySet<AnyModel>;

/** PostgreSQL's estimate of a table's rows (pg_class.reltuples, kept by ANALYZE/autovacuum), or null when unknown. */
async function plannerEstimate(model: AnyModel): Promise<number | null> {
  const result = await sql<{ estimate: number | string | null }>`SELECT reltuples::bigint AS estimate FROM pg_class WHERE oid = to_regclass(${model.meta.table})`.execute(executor());
  const estimate = Number(result.rows[0]?.estimate ?? -1);
  // -1: never analysed; 0 may be a stale "empty" for a table filled since.
  return Number.isFinite(estimate) && estimate > 0 ? estimate : null;
}

/**
 * The size of the model's whole table, as cheaply as the database can
 * tell, or null when it cannot without counting rows. SQLite answers a
 * `count(*)` with no WHERE from the b-tree pages of the table's smallest
 * index without visiting a row (OP_Count: about 0.3 ms for a million rows
 * in memory, against 8 ms for a count that stops at 100,001), so it is exact; PostgreSQL gives the planner's estimate, asked
 * only when `estimate` says it will be used.
 */
async function tableSize(model: AnyModel, estimate: boolean): Promise<RowCount | null> {
  if (connection().dialect === 'sqlite') return { value: await (model.objects as unknown as { count(): Promise<number> }).count(), kind: 'exact' };
  const estimated = estimate ? await plannerEstimate(model) : null;
  return estimated === null ? null : { value: estimated, kind: 'estimate' };
}

/**
 * Count `qs` without scanning more than COUNT_LIMIT + 1 rows: a count that
 * stops there (SELECT count(*) FROM (SELECT pk ... LIMIT n)), or a plain
 * count(*) when the whole table is known to have at most COUNT_LIMIT rows,
 * so a subset cannot have more: on SQLite the plain form costs half as much
 * (no subquery handing each row to the outer count).
 */
async function boundedCount(model: AnyModel, qs: AnyQuerySet, bound: RowCount | null, limit: number): Promise<RowCount> {
  if (bound?.kind === 'exact' && bound.value <= limit) return { value: await qs.count(), kind: 'exact' };
  const pk = model.meta.pk.name;
  const counted = await (qs.values(pk as never) as unknown as AnyQuerySet).slice(0, limit + 1).count();
  return counted > limit ? { value: limit, kind: 'atLeast' } : { value: counted, kind: 'exact' };
}

/** Where counting stops and estimates start; the defaults are COUNT_LIMIT and FULL_COUNT_ESTIMATE_FROM (tests lower them). */
export interface CountLimits {
  readonly count: number;
  readonly fullEstimateFrom: number;
}

const DEFAULT_LIMITS: CountLimits = { count: COUNT_LIMIT, fullEstimateFrom: FULL_COUNT_ESTIMATE_FROM };

/**
 * Count a changelist without scanning a huge table. `qs` is the listed
 * (searched, filtered) queryset; `all` is the admin's unfiltered one, and
 * `wholeTable` says it is the model's whole table (no getQueryset hook),
 * so the table's size can stand for its count: exact on SQLite, and on
 * PostgreSQL the planner's estimate once it is past COUNT_LIMIT (the
 * listed count, which paginates) or FULL_COUNT_ESTIMATE_FROM (the total
 * beside a filtered count). Everything else is a count that stops after
 * COUNT_LIMIT rows. Queries: the table's size (SQLite's count, or
 * PostgreSQL's estimate) and at most two counts; with a filter and
 * showFullResultCount: false, only the count of the listed rows.
 */
export async function countChangelist(
  model: AnyModel,
  qs: AnyQuerySet,
  all: AnyQuerySet,
  options: { narrowed: boolean; wholeTable: boolean; fullCount: boolean; limits?: CountLimits },
): Promise<ChangelistCounts> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  // showFullResultCount: false asks for no look at the whole table, so not even its size.
  const sizing = !options.narrowed || options.fullCount ? tableSize(model, options.wholeTable) : Promise.resolve(null);
  // SQLite's exact size bounds the count of the listed rows; PostgreSQL's estimate cannot, so there both queries run at once.
  const bound = connection().dialect === 'sqlite' ? await sizing : null;
  const whole = async (estimateFrom: number): Promise<RowCount> => {
    const size = await sizing;
    if (options.wholeTable && size !== null && (size.kind === 'exact' || size.value > estimateFrom)) return size;
    return boundedCount(model, all, bound, limits.count);
  };
  if (!options.narrowed) return { result: await whole(limits.count), full: null };
  const [result, full] = await Promise.all([boundedCount(model, qs, bound, limits.count), options.fullCount ? whole(limits.fullEstimateFrom) : null]);
  return { result, full };
}
