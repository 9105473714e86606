import { Field, type Dialect, type FieldOptions } from './field.js';

export interface AutoTimeOptions<T> extends FieldOptions<T> {
  /** Set to now on every save (Django's auto_now). */
  autoNow?: boolean;
  /** Set to now when the row is created (Django's auto_now_add). */
  autoNowAdd?: boolean;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(\.\d{1,6})?)?$/;

/** A calendar date as 'YYYY-MM-DD' (JS has no date-only type; a string avoids time-zone shifts). */
export class DateField<N extends boolean = boolean, O extends boolean = boolean> extends Field<string, N, O> {
  readonly kind = 'date' as const;
  readonly autoNow: boolean;
  readonly autoNowAdd: boolean;
  constructor(options: AutoTimeOptions<string> = {}) {
    super(options.autoNow || options.autoNowAdd ? { editable: false, ...options } : options);
    this.autoNow = options.autoNow === true;
    this.autoNowAdd = options.autoNowAdd === true;
  }
  override hasDefault(): boolean {
    return super.hasDefault() || this.autoNow || this.autoNowAdd;
  }
  dbType(dialect: Dialect): string {
    return dialect === 'postgres' ? 'date' : 'text';
  }
  override fromDb(raw: unknown): string {
    if (raw instanceof Date) return raw.toISOString().slice(0, 10);
    return String(raw).slice(0, 10);
  }
  now(): string {
    return new Date().toISOString().slice(0, 10);
  }
  protected override validateValue(value: string): string[] {
    const m = typeof value === 'string' ? DATE.exec(value) : null;
    if (!m) return [`Enter a date as YYYY-MM-DD, got ${JSON.stringify(value)}.`];
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.getUTCDate() === Number(m[3]) && d.getUTCMonth() === Number(m[2]) - 1 ? [] : [`${value} is not a real date.`];
  }
}

/**
 * An instant as a JS Date. Stored as `timestamptz` on PostgreSQL and as an
 * ISO-8601 UTC string (`2026-11-25T13:40:00.000Z`, which sorts correctly) on SQLite.
 */
export class DateTimeField<N extends boolean = boolean, O extends boolean = boolean> extends Field<Date, N, O> {
  readonly kind = 'datetime' as const;
  readonly autoNow: boolean;
  readonly autoNowAdd: boolean;
  constructor(options: AutoTimeOptions<Date> = {}) {
    super(options.autoNow || options.autoNowAdd ? { editable: false, ...options } : options);
    this.autoNow = options.autoNow === true;
    this.autoNowAdd = options.autoNowAdd === true;
  }
  override hasDefault(): boolean {
    return super.hasDefault() || this.autoNow || this.autoNowAdd;
  }
  dbType(dialect: Dialect): string {
    return dialect === 'postgres' ? 'timestamptz' : 'text';
  }
  override toDb(value: Date, dialect: Dialect): unknown {
    return dialect === 'sqlite' ? value.toISOString() : value;
  }
  override fromDb(raw: unknown): Date {
    return raw instanceof Date ? raw : new Date(String(raw));
  }
  now(): Date {
    return new Date();
  }
  protected override validateValue(value: Date): string[] {
    return value instanceof Date && !Number.isNaN(value.getTime()) ? [] : [`Expected a valid Date, got ${JSON.stringify(value)}.`];
  }
}

/** A time of day as 'HH:MM[:SS[.ffffff]]'. */
export class TimeField<N extends boolean = boolean, O extends boolean = boolean> extends Field<string, N, O> {
  readonly kind = 'time' as const;
  dbType(dialect: Dialect): string {
    return dialect === 'postgres' ? 'time' : 'text';
  }
  override fromDb(raw: unknown): string {
    return String(raw);
  }
  protected override validateValue(value: string): string[] {
    return typeof value === 'string' && TIME.test(value) ? [] : [`Enter a time as HH:MM[:SS], got ${JSON.stringify(value)}.`];
  }
}
