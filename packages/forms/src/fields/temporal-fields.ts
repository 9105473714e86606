import { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { Attrs } from '../render/html-attrs.js';
import { DateInput, DateTimeInput } from '../widgets/input.js';
import type { Widget } from '../widgets/widget.js';
import { EMPTY, FormField, type Empty, type FormFieldOptions } from './form-field.js';
import { rawText } from './raw-text.js';
import { checkTimeZone, fromWallTime, wallTime, type WallTime } from './time-zone.js';

const MAX_TEMPORAL_TEXT = 40;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// 'YYYY-MM-DDTHH:MM[:SS[.fff]]' with an optional 'Z' or ±HH:MM offset; a space may replace the T.
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export interface DateFieldOptions<T> extends FormFieldOptions<T> {
  /** Earliest date, 'YYYY-MM-DD'. */
  min?: string;
  /** Latest date, 'YYYY-MM-DD'. */
  max?: string;
}

/**
 * A calendar date as 'YYYY-MM-DD' (what `<input type="date">` sends and the
 * ORM's DateField stores).
 * @example fields.date({ min: '2000-01-01' })
 */
export class DateField<T extends string | null = string> extends FormField<T> {
  readonly min: string | undefined;
  readonly max: string | undefined;

  constructor(options: DateFieldOptions<T> = {}) {
    super(options);
    this.min = options.min;
    this.max = options.max;
  }

  protected defaultWidget(): Widget {
    return new DateInput();
  }

  override widgetAttrs(): Attrs {
    return { min: this.min, max: this.max };
  }

  protected toValue(raw: unknown): T | Empty {
    const text = rawText(raw, 'invalid_date');
    if (text === EMPTY) return EMPTY;
    const trimmed = text.trim();
    if (trimmed === '') return EMPTY;
    const match = trimmed.length > MAX_TEMPORAL_TEXT ? null : DATE.exec(trimmed);
    if (!match || !isRealDate(Number(match[1]), Number(match[2]), Number(match[3]))) throw new ValidationError({ code: 'invalid_date' });
    return trimmed as T;
  }

  protected buildSchema(): z.ZodType {
    // ISO dates compare correctly as text.
    return z.string().superRefine((value, ctx) => {
      if (this.min !== undefined && value < this.min) ctx.addIssue({ code: 'custom', input: value, params: { code: 'min_value', min: this.min } });
      if (this.max !== undefined && value > this.max) ctx.addIssue({ code: 'custom', input: value, params: { code: 'max_value', max: this.max } });
    });
  }

  protected emptyValue(): T {
    return null as T;
  }

  override formatValue(value: unknown): string | null {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
    return super.formatValue(value) as string | null;
  }
}

export interface DateTimeFieldOptions<T> extends FormFieldOptions<T> {
  /** Zone of times typed without an offset (what `<input type="datetime-local">` sends); default 'UTC'. */
  timeZone?: string;
  min?: Date;
  max?: Date;
}

/**
 * An instant as a Date. A time without an offset is read in `timeZone`
 * (default UTC) and shown back in it; one with 'Z' or '+02:00' is taken as
 * given.
 * @example fields.datetime({ timeZone: 'Europe/Paris' })
 */
export class DateTimeField<T extends Date | null = Date> extends FormField<T> {
  readonly timeZone: string;
  readonly min: Date | undefined;
  readonly max: Date | undefined;

  constructor(options: DateTimeFieldOptions<T> = {}) {
    super(options);
    this.timeZone = options.timeZone ?? 'UTC';
    checkTimeZone(this.timeZone, 'DateTimeField');
    this.min = options.min;
    this.max = options.max;
  }

  protected defaultWidget(): Widget {
    return new DateTimeInput();
  }

  protected toValue(raw: unknown): T | Empty {
    if (raw instanceof Date) {
      if (Number.isNaN(raw.getTime())) throw new ValidationError({ code: 'invalid_datetime' });
      return raw as T;
    }
    const text = rawText(raw, 'invalid_datetime');
    if (text === EMPTY) return EMPTY;
    const trimmed = text.trim();
    if (trimmed === '') return EMPTY;
    const date = trimmed.length > MAX_TEMPORAL_TEXT ? null : this.#parse(trimmed);
    if (!date) throw new ValidationError({ code: 'invalid_datetime' });
    return date as T;
  }

  #parse(text: string): Date | null {
    const match = DATETIME.exec(text);
    if (!match) return null;
    const [, y, mo, d, h, mi, s = '0', fraction = '', offset] = match;
    const wall: WallTime = {
      year: Number(y),
      month: Number(mo),
      day: Number(d),
      hour: Number(h),
      minute: Number(mi),
      second: Number(s),
      millisecond: Number(fraction.padEnd(3, '0').slice(0, 3)),
    };
    if (!isRealDate(wall.year, wall.month, wall.day) || wall.hour > 23 || wall.minute > 59 || wall.second > 59) return null;
    if (offset === undefined) return fromWallTime(wall, this.timeZone);
    const utc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
    if (offset === 'Z') return new Date(utc);
    const digits = offset.replace(':', '');
    const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
    if (minutes > 18 * 60) return null;
    return new Date(utc - (offset.startsWith('-') ? -minutes : minutes) * 60_000);
  }

  protected buildSchema(): z.ZodType {
    let schema = z.date();
    if (this.min !== undefined) schema = schema.min(this.min);
    if (this.max !== undefined) schema = schema.max(this.max);
    return schema;
  }

  protected emptyValue(): T {
    return null as T;
  }

  /** A Date as the widget shows it: 'YYYY-MM-DDTHH:MM[:SS]' in the field's zone. */
  override formatValue(value: unknown): string | null {
    if (!(value instanceof Date)) return super.formatValue(value) as string | null;
    if (Number.isNaN(value.getTime())) return null;
    const wall = wallTime(value, this.timeZone);
    const seconds = wall.second === 0 ? '' : `:${pad(wall.second)}`;
    return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}${seconds}`;
  }
}
