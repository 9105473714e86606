import { ImproperlyConfigured } from '@atrium/core';
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { Attrs } from '../render/html-attrs.js';
import { NumberInput } from '../widgets/input.js';
import type { Widget } from '../widgets/widget.js';
import { compareDecimals, formatDecimal, parseDecimal, type DecimalParts } from './decimal.js';
import { EMPTY, FormField, type Empty, type FormFieldOptions } from './form-field.js';
import { rawNumericText } from './raw-text.js';

const MAX_DECIMAL_TEXT = 1100;

export interface DecimalFieldOptions<T> extends FormFieldOptions<T> {
  /** Digits in total, before and after the point. */
  maxDigits?: number;
  /** Digits after the point; the value is padded to this many. */
  decimalPlaces?: number;
  min?: string | number;
  max?: string | number;
}

/**
 * An exact decimal number, given as a string ('12.50'), never through
 * floating point — the same representation as the ORM's DecimalField.
 * @example fields.decimal({ maxDigits: 8, decimalPlaces: 2, min: '0' })
 */
export class DecimalField<T extends string | null = string> extends FormField<T> {
  readonly maxDigits: number | undefined;
  readonly decimalPlaces: number | undefined;
  readonly min: string | undefined;
  readonly max: string | undefined;

  constructor(options: DecimalFieldOptions<T> = {}) {
    super(options);
    this.maxDigits = options.maxDigits;
    this.decimalPlaces = options.decimalPlaces;
    this.min = options.min === undefined ? undefined : checkBound(options.min, 'min');
    this.max = options.max === undefined ? undefined : checkBound(options.max, 'max');
  }

  protected defaultWidget(): Widget {
    return new NumberInput();
  }

  override widgetAttrs(): Attrs {
    const step = this.decimalPlaces === undefined ? 'any' : this.decimalPlaces === 0 ? '1' : `0.${'0'.repeat(this.decimalPlaces - 1)}1`;
    return { min: this.min, max: this.max, step };
  }

  protected toValue(raw: unknown): T | Empty {
    const text = rawNumericText(raw, 'invalid_number');
    if (text === EMPTY) return EMPTY;
    const trimmed = text.trim();
    if (trimmed === '') return EMPTY;
    const parts = trimmed.length > MAX_DECIMAL_TEXT ? null : parseDecimal(trimmed);
    if (!parts) throw new ValidationError({ code: 'invalid_number' });
    return formatDecimal(parts, this.decimalPlaces) as T;
  }

  protected buildSchema(): z.ZodType {
    return z.string().superRefine((value, ctx) => {
      const parts = parseDecimal(value);
      if (!parts) return;
      for (const issue of this.#issues(parts)) ctx.addIssue({ code: 'custom', input: value, params: issue });
    });
  }

  #issues(parts: DecimalParts): Array<Record<string, string | number>> {
    const issues: Array<Record<string, string | number>> = [];
    const digits = parts.whole.length + parts.fraction.length;
    if (this.maxDigits !== undefined && digits > this.maxDigits) issues.push({ code: 'max_digits', max: this.maxDigits });
    if (this.decimalPlaces !== undefined && parts.fraction.length > this.decimalPlaces) issues.push({ code: 'max_decimal_places', max: this.decimalPlaces });
    if (this.maxDigits !== undefined && this.decimalPlaces !== undefined && parts.whole.length > this.maxDigits - this.decimalPlaces) {
      issues.push({ code: 'max_whole_digits', max: this.maxDigits - this.decimalPlaces });
    }
    if (this.min !== undefined && compareDecimals(parts, parseDecimal(this.min)!) < 0) issues.push({ code: 'min_value', min: this.min });
    if (this.max !== undefined && compareDecimals(parts, parseDecimal(this.max)!) > 0) issues.push({ code: 'max_value', max: this.max });
    return issues;
  }

  protected emptyValue(): T {
    return null as T;
  }
}

function checkBound(value: string | number, name: string): string {
  const parts = parseDecimal(String(value));
  if (!parts) throw new ImproperlyConfigured(`DecimalField option ${name} is ${JSON.stringify(value)}; give a decimal number such as '0' or '9.99'.`);
  return formatDecimal(parts);
}
