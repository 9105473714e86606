import { randomUUID } from 'node:crypto';
import { Field, type Dialect, type FieldOptions } from './field.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID, stored as `uuid` on PostgreSQL and text on SQLite. As a primary key it defaults to a random v4. */
export class UuidField<N extends boolean = boolean, O extends boolean = boolean> extends Field<string, N, O> {
  readonly kind = 'uuid' as const;
  constructor(options: FieldOptions<string> = {}) {
    super(options.primaryKey && options.default === undefined ? { ...options, default: () => randomUUID() } : options);
  }
  dbType(dialect: Dialect): string {
    return dialect === 'postgres' ? 'uuid' : 'varchar(36)';
  }
  override toDb(value: string): unknown {
    return value.toLowerCase();
  }
  override fromDb(raw: unknown): string {
    return String(raw).toLowerCase();
  }
  protected override validateValue(value: string): string[] {
    return typeof value === 'string' && UUID.test(value) ? [] : [`'${String(value)}' is not a valid UUID.`];
  }
}
