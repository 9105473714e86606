import { sql } from 'kysely';
import type { AnyField, Dialect } from '../fields/field.js';
import { OrmUsageError } from '../errors.js';
import { or, type Sql } from './compile-context.js';

/**
 * Right-hand side of a comparison: turns a value (or an F expression) into
 * SQL, converting values with the field's toDb().
 */
export type Rhs = (value: unknown) => Sql;

export interface LookupArgs {
  readonly lhs: Sql;
  readonly value: unknown;
  readonly rhs: Rhs;
  readonly field: AnyField | null;
  readonly dialect: Dialect;
  /** `Model.field` for error messages. */
  readonly label: string;
}

export type LookupName =
  | 'exact'
  | 'iexact'
  | 'contains'
  | 'icontains'
  | 'startswith'
  | 'istartswith'
  | 'endswith'
  | 'iendswith'
  | 'in'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'range'
  | 'isnull'
  | 'regex'
  | 'iregex'
  | 'hasKey';

/** Escape LIKE wildcards so `%` and `_` in user input match themselves (ESCAPE '\'). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function text(args: LookupArgs, name: string): string {
  if (typeof args.value !== 'string') throw new OrmUsageError(`Lookup '${name}' on ${args.label} needs a string, got ${JSON.stringify(args.value)}.`);
  return args.value;
}

/**
 * Decimals are text on SQLite (exact storage); compare them as numbers.
 * Everything else compares natively.
 */
function comparable(args: LookupArgs, side: Sql): Sql {
  return args.field?.kind === 'decimal' && args.dialect === 'sqlite' ? sql`cast(${side} as real)` : side;
}

function compare(op: '>' | '>=' | '<' | '<='): (args: LookupArgs) => Sql {
  return (args) => sql`${comparable(args, args.lhs)} ${sql.raw(op)} ${comparable(args, args.rhs(args.value))}`;
}

/** SQLite: our registered Unicode-aware lower(); PostgreSQL: lower(). */
export function lower(dialect: Dialect, value: Sql): Sql {
  return dialect === 'sqlite' ? sql`atrium_lower(${value})` : sql`lower(${value})`;
}

/** Case-insensitive LIKE with the pattern lower-cased by the same function as the column. */
function ilike(args: LookupArgs, pattern: string): Sql {
  return sql`${lower(args.dialect, args.lhs)} like ${lower(args.dialect, sql`${pattern}`)} escape '\\'`;
}

/**
 * Case-sensitive substring tests. PostgreSQL's LIKE is case-sensitive;
 * SQLite's is not (ASCII), so SQLite uses instr()/substr() instead.
 */
function sensitive(args: LookupArgs, mode: 'contains' | 'startswith' | 'endswith'): Sql {
  const value = text(args, mode);
  if (value === '') return sql`${args.lhs} is not null`;
  if (args.dialect === 'postgres') {
    const escaped = escapeLike(value);
    const pattern = mode === 'contains' ? `%${escaped}%` : mode === 'startswith' ? `${escaped}%` : `%${escaped}`;
    return sql`${args.lhs} like ${pattern} escape '\\'`;
  }
  if (mode === 'contains') return sql`instr(${args.lhs}, ${value}) > 0`;
  if (mode === 'startswith') return sql`substr(${args.lhs}, 1, length(${value})) = ${value}`;
  return sql`substr(${args.lhs}, -length(${value})) = ${value}`;
}

function insensitive(args: LookupArgs, mode: 'contains' | 'startswith' | 'endswith'): Sql {
  const escaped = escapeLike(text(args, `i${mode}`));
  return ilike(args, mode === 'contains' ? `%${escaped}%` : mode === 'startswith' ? `${escaped}%` : `%${escaped}`);
}

function regex(args: LookupArgs, caseInsensitive: boolean): Sql {
  const pattern = text(args, caseInsensitive ? 'iregex' : 'regex');
  if (args.dialect === 'postgres') return sql`${args.lhs} ${sql.raw(caseInsensitive ? '~*' : '~')} ${pattern}`;
  return caseInsensitive ? sql`atrium_iregexp(${pattern}, ${args.lhs})` : sql`${args.lhs} regexp ${pattern}`;
}

/** Every lookup, by name: adding one to LookupName does not compile until it is handled here. */
export const LOOKUPS: Readonly<Record<LookupName, (args: LookupArgs) => Sql>> = {
  exact: (args) => (args.value === null ? sql`${args.lhs} is null` : sql`${args.lhs} = ${args.rhs(args.value)}`),
  iexact: (args) => sql`${lower(args.dialect, args.lhs)} = ${lower(args.dialect, sql`${text(args, 'iexact')}`)}`,
  contains: (args) => sensitive(args, 'contains'),
  icontains: (args) => insensitive(args, 'contains'),
  startswith: (args) => sensitive(args, 'startswith'),
  istartswith: (args) => insensitive(args, 'startswith'),
  endswith: (args) => sensitive(args, 'endswith'),
  iendswith: (args) => insensitive(args, 'endswith'),
  in: (args) => {
    if (!Array.isArray(args.value)) throw new OrmUsageError(`Lookup 'in' on ${args.label} needs an array, got ${JSON.stringify(args.value)}.`);
    const values = args.value.filter((v) => v !== null && v !== undefined);
    const inList = values.length === 0 ? sql`1 = 0` : sql`${args.lhs} in (${sql.join(values.map((v) => args.rhs(v)))})`;
    // SQL `x IN (NULL)` is never true; a null in the list means "or is null", as users expect.
    return values.length < args.value.length ? or([inList, sql`${args.lhs} is null`]) : inList;
  },
  gt: compare('>'),
  gte: compare('>='),
  lt: compare('<'),
  lte: compare('<='),
  range: (args) => {
    const bounds = args.value;
    if (!Array.isArray(bounds) || bounds.length !== 2) throw new OrmUsageError(`Lookup 'range' on ${args.label} needs [low, high], got ${JSON.stringify(bounds)}.`);
    return sql`${comparable(args, args.lhs)} between ${comparable(args, args.rhs(bounds[0]))} and ${comparable(args, args.rhs(bounds[1]))}`;
  },
  isnull: (args) => {
    if (typeof args.value !== 'boolean') throw new OrmUsageError(`Lookup 'isnull' on ${args.label} needs true or false, got ${JSON.stringify(args.value)}.`);
    return args.value ? sql`${args.lhs} is null` : sql`${args.lhs} is not null`;
  },
  regex: (args) => regex(args, false),
  iregex: (args) => regex(args, true),
  hasKey: (args) => {
    const key = text(args, 'hasKey');
    if (args.dialect === 'postgres') return sql`(${args.lhs} -> ${key}) is not null`;
    return sql`(json_type(${args.lhs}) = 'object' and exists (select 1 from json_each(${args.lhs}) where key = ${key}))`;
  },
};

export const LOOKUP_NAMES: readonly string[] = Object.keys(LOOKUPS);

/** Lookups allowed on JSON fields (comparisons of JSON documents differ between the databases). */
export const JSON_LOOKUPS: ReadonlySet<string> = new Set(['isnull', 'hasKey']);
/** Lookups that need a text column. */
export const TEXT_LOOKUPS: ReadonlySet<string> = new Set(['iexact', 'contains', 'icontains', 'startswith', 'istartswith', 'endswith', 'iendswith', 'regex', 'iregex']);
