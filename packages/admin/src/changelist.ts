import type { HttpRequest } from '@atrium/core';
import type { AnyModel, QuerySet } from '@atrium/orm';
import { listFilters, type ListFilter, type ObjectText } from './list-filters.js';
import type { ModelAdmin, ResolvedColumn } from './model-admin.js';
import { searchCondition } from './search.js';
import { dateHierarchy, type DateHierarchy } from './date-hierarchy.js';
import { countChangelist, type RowCount } from './changelist-count.js';

/** Query parameters the changelist itself reads; every other one must name a filter or is ignored. */
export const SEARCH_PARAM = 'q';
export const ORDER_PARAM = 'o';
export const PAGE_PARAM = 'p';

type AnyQuerySet = QuerySet<AnyModel>;
type Row = Record<string, unknown>;

/** A column header: its label, whether it sorts, and the links to sort by it. */
export interface ColumnHeader {
  readonly name: string;
  readonly label: string;
  readonly sortable: boolean;
  /** 'asc', 'desc' or null. */
  readonly sorted: 'asc' | 'desc' | null;
  readonly sortQuery: string | null;
}

/** Everything a changelist page shows for one request. */
export interface Changelist {
  readonly objects: readonly Row[];
  readonly columns: readonly ResolvedColumn[];
  readonly headers: readonly ColumnHeader[];
  readonly filters: readonly ListFilter[];
  readonly search: string;
  /** Rows matching the search and filters. */
  readonly resultCount: number;
  /** How resultCount was counted: exactly, bounded ('atLeast'), or PostgreSQL's estimate. */
  readonly countKind: RowCount['kind'];
  /** Rows the user may see at all; null when not counted (showFullResultCount: false). */
  readonly fullCount: number | null;
  /** How fullCount was counted (see countKind); null with fullCount. */
  readonly fullCountKind: RowCount['kind'] | null;
  /** True when a search or filter narrows the list. */
  readonly narrowed: boolean;
  readonly page: number;
  readonly pageCount: number;
  readonly pageLinks: ReadonlyArray<{ number: number; query: string; current: boolean }>;
  /** The date drill-down of `dateHierarchy`, or null without the option. */
  readonly dateHierarchy: DateHierarchy | null;
  /** The filtered, searched queryset (all pages), for "select all" actions. */
  readonly queryset: AnyQuerySet;
}

/** The ordering asked for by `?o=`: only sortable columns, anything else ignored. */
function requestedOrdering(raw: string | null, columns: readonly ResolvedColumn[]): Array<{ key: string; desc: boolean }> {
  if (!raw) return [];
  const byName = new Map(columns.filter((c) => c.orderKey !== null).map((c) => [c.name, c.orderKey!]));
  const out: Array<{ key: string; desc: boolean }> = [];
  for (const token of raw.split(',').slice(0, 5)) {
    const desc = token.startsWith('-');
    const key = byName.get(desc ? token.slice(1) : token);
    if (key && !out.some((o) => o.key === key)) out.push({ key, desc });
  }
  return out;
}

/** Page number from `?p=`: a positive integer within range, else the nearest valid page. */
function pageNumber(raw: string | null, pageCount: number): number {
  const parsed = raw !== null && /^\d{1,9}$/.test(raw) ? Number(raw) : 1;
  return Math.min(Math.max(parsed, 1), Math.max(pageCount, 1));
}

/**
 * Run the changelist query for a request: search, filters, ordering and
 * one page, with related columns joined (selectRelated) so a page costs a
 * fixed number of queries. Bad parameters are ignored, never a 500.
 */
export async function buildChangelist(admin: ModelAdmin, request: HttpRequest, strOf: ObjectText): Promise<Changelist> {
  const query = new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');
  const base = admin.getQueryset(request) as unknown as AnyQuerySet;
  let qs = base;
  const filters = await listFilters(admin, query, strOf);
  for (const filter of filters) if (filter.condition) qs = qs.filter(filter.condition as never);
  const search = (query.get(SEARCH_PARAM) ?? '').slice(0, 200);
  const searchFields = admin.options.searchFields ?? [];
  if (search.trim() && searchFields.length > 0) {
    const conditions = searchCondition(searchFields, search);
    qs = qs.filter(...(conditions as never[]));
    // A search through a relation that fans out (reverse or many-to-many) could repeat rows.
    if (searchFields.some((f) => f.includes('.'))) qs = qs.distinct();
  }
  const hierarchy = admin.options.dateHierarchy ? await dateHierarchy(admin.fieldOf(admin.options.dateHierarchy), query, qs) : null;
  if (hierarchy?.condition) qs = qs.filter(hierarchy.condition as never);
  const ordering = requestedOrdering(query.get(ORDER_PARAM), admin.columns);
  const defaults = (admin.options.ordering ?? []) as readonly string[];
  const pk = admin.model.meta.pk.name;
  const keys = ordering.length > 0 ? ordering.map((o) => `${o.desc ? '-' : ''}${o.key}`) : defaults.length > 0 ? [...defaults] : admin.model.meta.ordering.length > 0 ? [...admin.model.meta.ordering] : [`-${pk}`];
  // A final key on the primary key makes pages stable when the sort column has ties.
  if (!keys.some((k) => k.replace(/^-/, '') === pk || k.replace(/^-/, '') === 'pk')) keys.push(`-${pk}`);
  qs = qs.orderBy(...(keys as never[]));
  const related = admin.relatedPaths;
  const narrowed = filters.some((f) => f.condition !== null) || (search.trim() !== '' && searchFields.length > 0) || Boolean(hierarchy?.condition);
  const pageQs = (n: number): AnyQuerySet => {
    const rows = qs.slice((n - 1) * admin.listPerPage, n * admin.listPerPage);
    return related.length > 0 ? rows.selectRelated(...(related as never[])) : rows;
  };
  // Page 1 always exists, so it is fetched while counting (at once, on PostgreSQL's pool); other pages wait to be clamped to the count.
  const firstPage = pageNumber(query.get(PAGE_PARAM), Number.MAX_SAFE_INTEGER) === 1;
  // Never a scan of a huge table: see countChangelist.
  const [counts, firstRows] = await Promise.all([
    countChangelist(admin.model, qs, base, { narrowed, wholeTable: !admin.options.getQueryset, fullCount: admin.options.showFullResultCount !== false }),
    firstPage ? pageQs(1) : null,
  ]);
  const resultCount = counts.result.value;
  const pageCount = Math.max(1, Math.ceil(resultCount / admin.listPerPage));
  const page = pageNumber(query.get(PAGE_PARAM), pageCount);
  const objects = ((page === 1 && firstRows) || (await pageQs(page))) as unknown as Row[];

  const link = (changes: Record<string, string | null>): string => {
    const next = new URLSearchParams(query);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) next.delete(key);
      else next.set(key, value);
    }
    return `?${next.toString()}`;
  };
  const headers = admin.columns.map((column): ColumnHeader => {
    const current = ordering.find((o) => o.key === column.orderKey);
    const sorted = current ? (current.desc ? 'desc' : 'asc') : null;
    return {
      name: column.name,
      label: column.label,
      sortable: column.orderKey !== null,
      sorted,
      sortQuery: column.orderKey !== null ? link({ [ORDER_PARAM]: sorted === 'asc' ? `-${column.name}` : column.name, [PAGE_PARAM]: null }) : null,
    };
  });
  const pageLinks = [];
  for (let n = 1; n <= pageCount; n++) {
    // Elide long runs: the first two, the last two, and three either side of the current page.
    if (n <= 2 || n > pageCount - 2 || Math.abs(n - page) <= 3) pageLinks.push({ number: n, query: link({ [PAGE_PARAM]: String(n) }), current: n === page });
    else if (pageLinks[pageLinks.length - 1]?.number !== 0) pageLinks.push({ number: 0, query: '', current: false });
  }
  return { objects, columns: admin.columns, headers, filters, search, resultCount, countKind: counts.result.kind, fullCount: narrowed ? (counts.full?.value ?? null) : resultCount, fullCountKind: narrowed ? (counts.full?.kind ?? null) : counts.result.kind, narrowed, page, pageCount, pageLinks, dateHierarchy: hierarchy, queryset: qs };
}
