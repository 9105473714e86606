import type { AnyField, AnyModel } from '@atrium/orm';
import type { ModelAdmin } from './model-admin.js';

/** The text of an object of any model (the site's, using each model's admin `str`). */
export type ObjectText = (model: AnyModel, obj: Record<string, unknown>) => string;

/** One choice of a sidebar filter: its label, the query string it links to, whether it is on. */
export interface FilterChoice {
  readonly label: string;
  readonly query: string;
  readonly selected: boolean;
}

/** A sidebar filter, resolved for one request. */
export interface ListFilter {
  readonly name: string;
  readonly title: string;
  readonly choices: readonly FilterChoice[];
  /** The filter condition for the chosen value, or null when none (or an invalid one) is chosen. */
  readonly condition: Record<string, unknown> | null;
}

type Choice = readonly [value: string, label: string, condition: Record<string, unknown>];

const DAY = 86_400_000;

/** Date ranges offered for date fields, as Django's DateFieldListFilter. */
function dateChoices(field: AnyField, now: Date): Choice[] {
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const asValue = (date: Date): unknown => (field.kind === 'date' ? date.toISOString().slice(0, 10) : date);
  const from = (start: Date): Record<string, unknown> => ({ [field.name]: { gte: asValue(start) } });
  return [
    ['today', 'Today', { [field.name]: { gte: asValue(today), lt: asValue(new Date(today.getTime() + DAY)) } }],
    ['past7', 'Past 7 days', from(new Date(today.getTime() - 6 * DAY))],
    ['month', 'This month', from(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1)))],
    ['year', 'This year', from(new Date(Date.UTC(today.getUTCFullYear(), 0, 1)))],
    ...(field.isNullable ? ([['none', 'No date', { [field.name]: null }]] as Choice[]) : []),
  ];
}

/** The first 200 objects of a related model, offered as filter choices. */
async function firstObjects(target: AnyModel): Promise<Array<Record<string, unknown>>> {
  return (await (target.objects as unknown as { all(): { slice(a: number, b: number): PromiseLike<Array<Record<string, unknown>>> } }).all().slice(0, 200)) ?? [];
}

/** The choices of a filter on `field`: booleans, choices/enums, dates, foreign keys and many-to-many relations (their first 200 objects). */
async function choicesFor(strOf: ObjectText, field: AnyField, now: Date): Promise<Choice[]> {
  if (field.kind === 'boolean') {
    return [['1', 'Yes', { [field.name]: true }], ['0', 'No', { [field.name]: false }], ...(field.isNullable ? ([['none', 'Unknown', { [field.name]: null }]] as Choice[]) : [])];
  }
  if (field.kind === 'date' || field.kind === 'datetime') return dateChoices(field, now);
  if (field.kind === 'foreignKey' || field.kind === 'oneToOne') {
    const target = (field as unknown as { target: AnyModel }).target;
    const pk = target.meta.pk.name;
    const objects = await firstObjects(target);
    const attname = `${field.name}Id`;
    const choices: Choice[] = objects.map((obj) => [String(obj[pk]), strOf(target, obj), { [attname]: obj[pk] }] as const);
    return field.isNullable ? [...choices, ['none', 'None', { [attname]: null }]] : choices;
  }
  if (field.kind === 'manyToMany') {
    // An EXISTS test on the join table: a row matching twice is not listed twice.
    const target = (field as unknown as { target: AnyModel }).target;
    const pk = target.meta.pk.name;
    const objects = await firstObjects(target);
    return [...objects.map((obj) => [String(obj[pk]), strOf(target, obj), { [field.name]: { [pk]: obj[pk] } }] as const), ['none', 'None', { [field.name]: null }]];
  }
  const raw = field.options.choices;
  if (raw) {
    return raw.map((choice) => {
      const [value, label] = Array.isArray(choice) ? (choice as unknown as readonly [unknown, string]) : [choice, String(choice)];
      return [String(value), label, { [field.name]: value }] as const;
    });
  }
  return [];
}

/**
 * Build the sidebar filters of a changelist for the request's query: each
 * chosen value must be one of the offered choices, so a hostile or stale
 * parameter is ignored instead of reaching the query.
 */
export async function listFilters(admin: ModelAdmin, query: URLSearchParams, strOf: ObjectText, now = new Date()): Promise<ListFilter[]> {
  const filters: ListFilter[] = [];
  for (const name of admin.options.listFilter ?? []) {
    const field = admin.fieldOf(name);
    const choices = await choicesFor(strOf, field, now);
    const chosen = query.get(name);
    const link = (value: string | null): string => {
      const next = new URLSearchParams(query);
      next.delete('p');
      if (value === null) next.delete(name);
      else next.set(name, value);
      return `?${next.toString()}`;
    };
    const match = choices.find(([value]) => value === chosen);
    filters.push({
      name,
      title: field.verboseName,
      condition: match ? match[2] : null,
      choices: [{ label: 'All', query: link(null), selected: !match }, ...choices.map(([value, label]) => ({ label, query: link(value), selected: match?.[0] === value }))],
    });
  }
  return filters;
}
