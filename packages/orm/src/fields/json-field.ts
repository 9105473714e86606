import { Field, type Dialect } from './field.js';

/** Any JSON value; `jsonb` on PostgreSQL, text on SQLite. The type parameter documents the shape. */
export class JsonField<T = unknown, N extends boolean = boolean, O extends boolean = boolean> extends Field<T, N, O> {
  readonly kind = 'json' as const;
  dbType(dialect: Dialect): string {
    return dialect === 'postgres' ? 'jsonb' : 'text';
  }
  override toDb(value: T): unknown {
    return JSON.stringify(value);
  }
  override fromDb(raw: unknown, dialect: Dialect): T {
    // pg parses jsonb itself: a top-level JSON string arrives as a JS string and must not be parsed again.
    if (dialect === 'postgres') return raw as T;
    return (typeof raw === 'string' ? JSON.parse(raw) : raw) as T;
  }
  protected override validateValue(value: T): string[] {
    try {
      return JSON.stringify(value) === undefined ? ['Value has no JSON form.'] : [];
    } catch (error) {
      return [`Value cannot be stored as JSON: ${(error as Error).message}`];
    }
  }
}
