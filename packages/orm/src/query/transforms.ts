import { sql } from 'kysely';
import type { AnyField, Dialect } from '../fields/field.js';
import type { Sql } from './compile-context.js';

export type TransformName = 'year' | 'month' | 'day' | 'weekDay' | 'hour' | 'minute' | 'second' | 'date';

const SQLITE_FORMAT: Record<Exclude<TransformName, 'date' | 'weekDay'>, string> = {
  year: '%Y',
  month: '%m',
  day: '%d',
  hour: '%H',
  minute: '%M',
  second: '%S',
};

/**
 * A part of a date or datetime column, computed the same way on both
 * databases: datetimes in UTC (they are stored in UTC), numbers as integers,
 * weekDay 1 = Sunday ... 7 = Saturday (Django's week_day), `date` as
 * 'YYYY-MM-DD'.
 */
export function transform(name: TransformName, lhs: Sql, field: AnyField, dialect: Dialect): Sql {
  const utc = field.kind === 'datetime';
  if (dialect === 'postgres') {
    const value = utc ? sql`(${lhs} at time zone 'UTC')` : lhs;
    if (name === 'date') return sql`to_char(${value}, 'YYYY-MM-DD')`;
    if (name === 'weekDay') return sql`(cast(extract(dow from ${value}) as integer) + 1)`;
    // Seconds carry a fraction on PostgreSQL; truncate like SQLite's %S.
    return sql`cast(floor(extract(${sql.raw(name)} from ${value})) as integer)`;
  }
  if (name === 'date') return sql`date(${lhs})`;
  if (name === 'weekDay') return sql`(cast(strftime('%w', ${lhs}) as integer) + 1)`;
  // The format comes from the fixed table above, never from input.
  return sql`cast(strftime(${sql.raw(`'${SQLITE_FORMAT[name]}'`)}, ${lhs}) as integer)`;
}

export const TRANSFORM_NAMES: ReadonlySet<string> = new Set<TransformName>(['year', 'month', 'day', 'weekDay', 'hour', 'minute', 'second', 'date']);

/** Which transforms a field kind allows. */
export function transformsFor(field: AnyField): ReadonlySet<string> {
  if (field.kind === 'datetime') return TRANSFORM_NAMES;
  if (field.kind === 'date') return new Set(['year', 'month', 'day', 'weekDay']);
  return new Set();
}
