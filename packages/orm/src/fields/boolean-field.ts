import { Field, type Dialect } from './field.js';

/** Boolean; SQLite stores 0/1 and values come back as true/false on both databases. */
export class BooleanField<N extends boolean = boolean, O extends boolean = boolean> extends Field<boolean, N, O> {
  readonly kind = 'boolean' as const;
  dbType(dialect: Dialect): string {
    return dialect === 'postgres' ? 'boolean' : 'integer';
  }
  override toDb(value: boolean, dialect: Dialect): unknown {
    return dialect === 'sqlite' ? (value ? 1 : 0) : value;
  }
  override fromDb(raw: unknown): boolean {
    return raw === true || raw === 1 || raw === 1n || raw === 't' || raw === 'true';
  }
  protected override validateValue(value: boolean): string[] {
    return typeof value === 'boolean' ? [] : [`Expected true or false, got ${JSON.stringify(value)}.`];
  }
}
