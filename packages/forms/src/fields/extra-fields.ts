import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { NumberInput, TimeInput } from '../widgets/input.js';
import { Textarea } from '../widgets/textarea.js';
import type { Widget } from '../widgets/widget.js';
import { CharField, type CharFieldOptions } from './char-field.js';
import { EMPTY, FormField, type Empty, type FormFieldOptions } from './form-field.js';
import { rawNumericText, rawText } from './raw-text.js';

const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(\.\d{1,6})?)?$/;
const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
const BIGINT = /^[+-]?\d{1,19}$/;
const MAX_JSON_TEXT = 1_000_000;

/** A time of day as 'HH:MM' or 'HH:MM:SS[.ffffff]' (the ORM's TimeField). */
export class TimeField<T extends string | null = string> extends FormField<T> {
  constructor(options: FormFieldOptions<T> = {}) {
    super(options);
  }
  protected defaultWidget(): Widget {
    return new TimeInput();
  }
  protected toValue(raw: unknown): T | Empty {
    const text = rawText(raw, 'invalid_time');
    if (text === EMPTY || text.trim() === '') return EMPTY;
    const trimmed = text.trim();
    if (trimmed.length > 20 || !TIME.test(trimmed)) throw new ValidationError({ code: 'invalid_time' });
    return trimmed as T;
  }
  protected buildSchema(): z.ZodType {
    return z.string();
  }
  protected emptyValue(): T {
    return null as T;
  }
}

/** A UUID, normalised to lower case with hyphens. */
export class UuidField<T extends string | null = string> extends CharField<T> {
  constructor(options: CharFieldOptions<T> = {}) {
    super(options);
  }
  protected override normalize(value: string): string {
    if (!UUID.test(value)) throw new ValidationError({ code: 'invalid_uuid' });
    const hex = value.replace(/-/g, '').toLowerCase();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

/** A 64-bit integer as a bigint (the ORM's BigIntField). */
export class BigIntField<T extends bigint | null = bigint> extends FormField<T> {
  constructor(options: FormFieldOptions<T> = {}) {
    super(options);
  }
  protected defaultWidget(): Widget {
    return new NumberInput();
  }
  protected toValue(raw: unknown): T | Empty {
    if (typeof raw === 'bigint') return raw as T;
    const text = rawNumericText(raw, 'invalid_integer');
    if (text === EMPTY || text.trim() === '') return EMPTY;
    const trimmed = text.trim();
    if (!BIGINT.test(trimmed)) throw new ValidationError({ code: 'invalid_integer' });
    return BigInt(trimmed) as T;
  }
  protected buildSchema(): z.ZodType {
    return z.bigint().min(-(2n ** 63n)).max(2n ** 63n - 1n);
  }
  protected emptyValue(): T {
    return null as T;
  }
}

/**
 * JSON text in a textarea, parsed (the ORM's JsonField). Objects sent in a
 * JSON body are taken as they are.
 */
export class JsonField<T = unknown> extends FormField<T> {
  constructor(options: FormFieldOptions<T> = {}) {
    super(options);
  }
  protected defaultWidget(): Widget {
    return new Textarea();
  }
  protected toValue(raw: unknown): T | Empty {
    if (raw === undefined || raw === null) return EMPTY;
    if (typeof raw !== 'string') return raw as T;
    const text = raw.trim();
    if (text === '') return EMPTY;
    if (text.length > MAX_JSON_TEXT) throw new ValidationError({ code: 'invalid_json' });
    try {
      return JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value)) as T;
    } catch {
      throw new ValidationError({ code: 'invalid_json' });
    }
  }
  protected buildSchema(): z.ZodType {
    return z.unknown();
  }
  protected emptyValue(): T {
    return null as T;
  }
  override formatValue(value: unknown): string | null {
    if (value === undefined || value === null) return null;
    if (typeof value === 'string') return value;
    return JSON.stringify(value, null, 2) ?? null;
  }
}
