import { Field, type Dialect, type FieldOptions } from './field.js';
import { toSafeNumber } from './auto-field.js';

/** 32-bit integer on PostgreSQL; values checked to fit. */
export class IntegerField<N extends boolean = boolean, O extends boolean = boolean> extends Field<number, N, O> {
  readonly kind = 'integer' as const;
  dbType(): string {
    return 'integer';
  }
  override fromDb(raw: unknown): number {
    return toSafeNumber(raw, this.name);
  }
  protected override validateValue(value: number): string[] {
    if (typeof value !== 'number' || !Number.isInteger(value)) return [`Expected an integer, got ${JSON.stringify(value)}.`];
    if (value < -2147483648 || value > 2147483647) return ['Ensure this value fits in a 32-bit integer.'];
    return [];
  }
}

/** 64-bit integer as a JS bigint (exact beyond 2^53). */
export class BigIntField<N extends boolean = boolean, O extends boolean = boolean> extends Field<bigint, N, O> {
  readonly kind = 'bigint' as const;
  dbType(): string {
    return 'bigint';
  }
  override toDb(value: bigint, dialect: Dialect): unknown {
    // better-sqlite3 binds bigint natively; pg wants text for int8.
    return dialect === 'postgres' ? value.toString() : value;
  }
  override fromDb(raw: unknown): bigint {
    return typeof raw === 'bigint' ? raw : BigInt(raw as string | number);
  }
  protected override validateValue(value: bigint): string[] {
    if (typeof value !== 'bigint') return [`Expected a bigint, got ${typeof value}.`];
    if (value < -(2n ** 63n) || value >= 2n ** 63n) return ['Ensure this value fits in a 64-bit integer.'];
    return [];
  }
}

export class FloatField<N extends boolean = boolean, O extends boolean = boolean> extends Field<number, N, O> {
  readonly kind = 'float' as const;
  dbType(dialect: Dialect): string {
    return dialect === 'postgres' ? 'double precision' : 'real';
  }
  override fromDb(raw: unknown): number {
    return Number(raw);
  }
  protected override validateValue(value: number): string[] {
    return typeof value === 'number' && Number.isFinite(value) ? [] : [`Expected a finite number, got ${JSON.stringify(value)}.`];
  }
}

export interface DecimalFieldOptions extends FieldOptions<string> {
  maxDigits: number;
  decimalPlaces: number;
}

/**
 * Exact decimal as a string (`'12.50'`): `numeric(p, s)` on PostgreSQL and
 * text on SQLite (SQLite's NUMERIC would round through a double). Values are
 * normalised to `decimalPlaces` digits, never through floating point.
 */
export class DecimalField<N extends boolean = boolean, O extends boolean = boolean> extends Field<string, N, O> {
  readonly kind = 'decimal' as const;
  readonly maxDigits: number;
  readonly decimalPlaces: number;
  constructor(options: DecimalFieldOptions) {
    super(options);
    this.maxDigits = options.maxDigits;
    this.decimalPlaces = options.decimalPlaces;
    if (!(this.maxDigits > 0 && this.decimalPlaces >= 0 && this.decimalPlaces <= this.maxDigits)) {
      throw new TypeError(`DecimalField needs maxDigits > 0 and 0 <= decimalPlaces <= maxDigits, got ${this.maxDigits}/${this.decimalPlaces}`);
    }
  }
  dbType(dialect: Dialect): string {
    return dialect === 'postgres' ? `numeric(${this.maxDigits}, ${this.decimalPlaces})` : 'text';
  }
  override toDb(value: string): unknown {
    return normaliseDecimal(value, this.decimalPlaces);
  }
  override fromDb(raw: unknown): string {
    return normaliseDecimal(String(raw), this.decimalPlaces);
  }
  protected override validateValue(value: string): string[] {
    if (typeof value !== 'string' || !DECIMAL.test(value.trim())) return [`Enter a decimal number as a string, got ${JSON.stringify(value)}.`];
    const [whole = '', frac = ''] = value.trim().replace(/^[-+]/, '').split('.');
    const wholeDigits = whole.replace(/^0+(?=\d)/, '').length;
    const errors: string[] = [];
    if (frac.replace(/0+$/, '').length > this.decimalPlaces) errors.push(`Ensure there are no more than ${this.decimalPlaces} decimal places.`);
    if (wholeDigits > this.maxDigits - this.decimalPlaces) errors.push(`Ensure there are no more than ${this.maxDigits - this.decimalPlaces} digits before the decimal point.`);
    return errors;
  }
}

const DECIMAL = /^[-+]?\d{1,1000}(\.\d{1,1000})?$/;

/** '3.1' with 2 places -> '3.10'; exact string arithmetic. */
export function normaliseDecimal(value: string, places: number): string {
  const s = value.trim();
  if (!DECIMAL.test(s)) return s;
  const negative = s.startsWith('-');
  const [wholeRaw = '0', fracRaw = ''] = s.replace(/^[-+]/, '').split('.');
  const whole = wholeRaw.replace(/^0+(?=\d)/, '');
  const frac = (fracRaw + '0'.repeat(places)).slice(0, places);
  const out = places > 0 ? `${whole}.${frac}` : whole;
  return negative && /[1-9]/.test(out) ? `-${out}` : out;
}
