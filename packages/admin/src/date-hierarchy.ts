import { Max, Min, type AnyField, type AnyModel, type QuerySet } from '@atrium/orm';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** At most this many year links (the latest ones). */
const MAX_YEARS = 30;

/** A drill-down link of the date hierarchy. */
export interface DateLink {
  readonly label: string;
  readonly query: string;
}

/** The date hierarchy of one changelist request: where it stands, the links one level down, the condition it adds. */
export interface DateHierarchy {
  readonly field: string;
  /** Links back up: "‹ All dates", "‹ 2026", "‹ March 2026". */
  readonly back: readonly DateLink[];
  /** The chosen period ("March 2026"), or null at the top. */
  readonly current: string | null;
  /** Years, months or days holding rows, one level below the chosen period. */
  readonly links: readonly DateLink[];
  /** A range on the field for the chosen period (index friendly), or null. */
  readonly condition: Record<string, unknown> | null;
}

type AnyQuerySet = QuerySet<AnyModel>;

/** Year, month and day chosen by `<field>__year`, `__month`, `__day`; an invalid part (and what follows it) is ignored. */
function chosenParts(query: URLSearchParams, name: string): { year: number | null; month: number | null; day: number | null } {
  const read = (part: string, min: number, max: number): number | null => {
    const raw = query.get(`${name}__${part}`);
    if (raw === null || !/^\d{1,4}$/.test(raw)) return null;
    const value = Number(raw);
    return value >= min && value <= max ? value : null;
  };
  const year = read('year', 1, 9999);
  const month = year === null ? null : read('month', 1, 12);
  let day = month === null ? null : read('day', 1, 31);
  // 31 February is no day.
  if (year !== null && month !== null && day !== null && new Date(Date.UTC(year, month - 1, day)).getUTCMonth() !== month - 1) day = null;
  return { year, month, day };
}

/**
 * The date hierarchy of `dateHierarchy: 'publishedOn'`: `?publishedOn__year=2026&publishedOn__month=3`
 * narrows the list to a period (as a range, so an index on the field serves
 * it); the links go one level down to the years, months or days that hold
 * rows of the filtered list.
 */
export async function dateHierarchy(field: AnyField, query: URLSearchParams, filtered: AnyQuerySet): Promise<DateHierarchy> {
  const name = field.name;
  const { year, month, day } = chosenParts(query, name);
  const asValue = (date: Date): unknown => (field.kind === 'date' ? date.toISOString().slice(0, 10) : date);
  const range = (start: Date, end: Date): Record<string, unknown> => ({ [name]: { gte: asValue(start), lt: asValue(end) } });
  const link = (parts: { year?: number; month?: number; day?: number }): string => {
    const next = new URLSearchParams(query);
    next.delete('p');
    for (const part of ['year', 'month', 'day'] as const) {
      const value = parts[part];
      if (value === undefined) next.delete(`${name}__${part}`);
      else next.set(`${name}__${part}`, String(value));
    }
    return `?${next.toString()}`;
  };
  const has = (start: Date, end: Date): Promise<boolean> => filtered.filter(range(start, end) as never).exists();

  if (year === null) {
    const bounds = (await filtered.aggregate({ first: Min(name), last: Max(name) } as never)) as { first: unknown; last: unknown };
    const years: number[] = [];
    const yearOf = (value: unknown): number | null => (value === null || value === undefined ? null : new Date(value as string).getUTCFullYear());
    const first = yearOf(bounds.first);
    const last = yearOf(bounds.last);
    if (first !== null && last !== null) for (let y = last; y >= Math.max(first, last - MAX_YEARS + 1); y--) years.unshift(y);
    const held = await Promise.all(years.map((y) => has(new Date(Date.UTC(y, 0, 1)), new Date(Date.UTC(y + 1, 0, 1)))));
    return { field: name, back: [], current: null, links: years.filter((_, i) => held[i]).map((y) => ({ label: String(y), query: link({ year: y }) })), condition: null };
  }
  const top = { label: '‹ All dates', query: link({}) };
  if (month === null) {
    const months = Array.from({ length: 12 }, (_, i) => i + 1);
    const held = await Promise.all(months.map((m) => has(new Date(Date.UTC(year, m - 1, 1)), new Date(Date.UTC(year, m, 1)))));
    return {
      field: name,
      back: [top],
      current: String(year),
      links: months.filter((_, i) => held[i]).map((m) => ({ label: `${MONTHS[m - 1]!} ${year}`, query: link({ year, month: m }) })),
      condition: range(new Date(Date.UTC(year, 0, 1)), new Date(Date.UTC(year + 1, 0, 1))),
    };
  }
  const monthRange = range(new Date(Date.UTC(year, month - 1, 1)), new Date(Date.UTC(year, month, 1)));
  const back = [top, { label: `‹ ${year}`, query: link({ year }) }];
  if (day === null) {
    const days = Array.from({ length: new Date(Date.UTC(year, month, 0)).getUTCDate() }, (_, i) => i + 1);
    const held = await Promise.all(days.map((d) => has(new Date(Date.UTC(year, month - 1, d)), new Date(Date.UTC(year, month - 1, d + 1)))));
    return { field: name, back, current: `${MONTHS[month - 1]!} ${year}`, links: days.filter((_, i) => held[i]).map((d) => ({ label: `${MONTHS[month - 1]!} ${d}`, query: link({ year, month, day: d }) })), condition: monthRange };
  }
  return {
    field: name,
    back: [...back, { label: `‹ ${MONTHS[month - 1]!} ${year}`, query: link({ year, month }) }],
    current: `${MONTHS[month - 1]!} ${day}, ${year}`,
    links: [],
    condition: range(new Date(Date.UTC(year, month - 1, day)), new Date(Date.UTC(year, month - 1, day + 1))),
  };
}
