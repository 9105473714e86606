import { sql, type RawBuilder } from 'kysely';
import type { AnyField, Dialect } from '../fields/field.js';
import type { AnyModel } from '../model/model.js';
import type { Expression } from './expressions.js';
import type { JoinSet } from './joins.js';
import { ParamSlot } from './param-slot.js';

/** A compiled SQL fragment. */
export type Sql = RawBuilder<unknown>;

/** State shared by one compilation: the dialect and unique table aliases (t0, t1, ...). */
export class CompileContext {
  readonly dialect: Dialect;
  #next = 0;
  constructor(dialect: Dialect) {
    this.dialect = dialect;
  }
  nextAlias(): string {
    return `t${this.#next++}`;
  }
}

/** Where names in a condition or path are resolved: a model under a table alias, with the joins of its query. */
export interface Scope {
  readonly ctx: CompileContext;
  readonly model: AnyModel;
  readonly alias: string;
  readonly joins: JoinSet;
  /** Annotations of the queryset (only on the root scope). */
  readonly annotations?: ReadonlyMap<string, Expression>;
}

/** `"t0"."title"` */
export function columnRef(alias: string, column: string): Sql {
  return sql.ref(`${alias}.${column}`);
}

/** AND of fragments (TRUE when empty). */
export function and(parts: readonly Sql[]): Sql {
  if (parts.length === 0) return sql`1 = 1`;
  if (parts.length === 1) return parts[0]!;
  return sql`(${sql.join(parts, sql` and `)})`;
}

/** OR of fragments (FALSE when empty). */
export function or(parts: readonly Sql[]): Sql {
  if (parts.length === 0) return sql`1 = 0`;
  if (parts.length === 1) return parts[0]!;
  return sql`(${sql.join(parts, sql` or `)})`;
}

/** A bound parameter converted for the driver by the field (if any). */
export function param(field: AnyField | null, value: unknown, dialect: Dialect): Sql {
  if (value instanceof ParamSlot) {
    // Compiling for the cache: the value is converted when the cached query runs.
    value.bind(field, dialect);
    return sql`${value}`;
  }
  return sql`${field ? field.toDb(value, dialect) : value}`;
}
