import { connection, executor, sql, type AnyModel, type QuerySet } from '@atrium/orm';

/** Counting stops here: a list longer than this says "more than 100,000" instead of scanning every row. */
export const COUNT_LIMIT = 100_000;

/** A row count for the changelist: exact, an upper-bounded count, or PostgreSQL's planner estimate. */
export interface RowCount {
  readonly value: number;
  /** 'exact'; 'atLeast' (more rows than `value`, counting stopped); 'estimate' (the planner's statistics). */
  readonly kind: 'exact' | 'atLeast' | 'estimate';
}

type AnyQuerySet = QuerySet<AnyModel>;

/** PostgreSQL's estimate of a table's rows (pg_class.reltuples, kept by ANALYZE/autovacuum), or null when unknown. */
async function plannerEstimate(model: AnyModel): Promise<number | null> {
  if (connection().dialect !== 'postgres') return null;
  const result = await sql<{ estimate: number | string | null }>`SELECT reltuples::bigint AS estimate FROM pg_class WHERE oid = to_regclass(${model.meta.table})`.execute(executor());
  const estimate = Number(result.rows[0]?.estimate ?? -1);
  // -1: never analysed; 0 may be a stale "empty" for a table filled since.
  return Number.isFinite(estimate) && estimate > 0 ? estimate : null;
}

/**
 * Count the rows of a changelist without scanning a huge table: for the
 * whole table (`unfiltered`, no getQueryset hook) on PostgreSQL, the
 * planner's estimate once it is past COUNT_LIMIT; otherwise a count that
 * stops after COUNT_LIMIT + 1 rows (SELECT count(*) FROM (SELECT pk ... LIMIT n)).
 */
export async function countRows(model: AnyModel, qs: AnyQuerySet, unfiltered: boolean): Promise<RowCount> {
  if (unfiltered) {
    const estimate = await plannerEstimate(model);
    if (estimate !== null && estimate > COUNT_LIMIT) return { value: estimate, kind: 'estimate' };
  }
  const pk = model.meta.pk.name;
  const counted = await (qs.values(pk as never) as unknown as AnyQuerySet).slice(0, COUNT_LIMIT + 1).count();
  return counted > COUNT_LIMIT ? { value: COUNT_LIMIT, kind: 'atLeast' } : { value: counted, kind: 'exact' };
}
