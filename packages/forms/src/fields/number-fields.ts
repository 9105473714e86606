import { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { Attrs } from '../render/html-attrs.js';
import { NumberInput } from '../widgets/input.js';
import type { Widget } from '../widgets/widget.js';
import { EMPTY, FormField, type Empty, type FormFieldOptions } from './form-field.js';
import { rawNumericText } from './raw-text.js';

// Longer text is not a number any input type=number sends; refusing it early bounds the work.
const MAX_NUMBER_TEXT = 64;
// Django accepts '3.0' for an integer field.
const INTEGER = /^[+-]?\d+(?:\.0*)?$/;
const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export interface NumberFieldOptions<T> extends FormFieldOptions<T> {
  min?: number;
  max?: number;
  /** The widget's `step` attribute. */
  step?: number | 'any';
}

abstract class NumberField<T extends number | null> extends FormField<T> {
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly step: number | 'any' | undefined;

  constructor(options: NumberFieldOptions<T>) {
    super(options);
    this.min = options.min;
    this.max = options.max;
    this.step = options.step;
  }

  protected defaultWidget(): Widget {
    return new NumberInput();
  }

  /** Attributes the field adds to its widget (min, max, step). */
  override widgetAttrs(): Attrs {
    return { min: this.min, max: this.max, step: this.step };
  }

  protected abstract parse(text: string): number | null;
  protected abstract readonly invalidCode: string;

  protected toValue(raw: unknown): T | Empty {
    const text = rawNumericText(raw, this.invalidCode);
    if (text === EMPTY) return EMPTY;
    const trimmed = text.trim();
    if (trimmed === '') return EMPTY;
    const value = trimmed.length > MAX_NUMBER_TEXT ? null : this.parse(trimmed);
    if (value === null) throw new ValidationError({ code: this.invalidCode });
    return value as T;
  }

  protected buildSchema(): z.ZodType {
    let schema = z.number();
    if (this.min !== undefined) schema = schema.min(this.min);
    if (this.max !== undefined) schema = schema.max(this.max);
    return schema;
  }

  protected emptyValue(): T {
    return null as T;
  }
}

/**
 * A whole number within JavaScript's safe integer range; accepts '42',
 * ' 42 ', '42.0' and the JSON number 42.
 * @example fields.integer({ min: 0, max: 150, required: false })
 */
export class IntegerField<T extends number | null = number> extends NumberField<T> {
  protected readonly invalidCode = 'invalid_integer';

  constructor(options: NumberFieldOptions<T> = {}) {
    super(options);
  }

  protected parse(text: string): number | null {
    if (!INTEGER.test(text)) return null;
    const value = Number.parseInt(text, 10);
    return Number.isSafeInteger(value) ? value : null;
  }
}

/** A finite floating-point number ('1.5', '-2e3', the JSON number 1.5). */
export class FloatField<T extends number | null = number> extends NumberField<T> {
  protected readonly invalidCode = 'invalid_number';

  constructor(options: NumberFieldOptions<T> = {}) {
    super({ step: 'any', ...options });
  }

  protected parse(text: string): number | null {
    if (!FLOAT.test(text)) return null;
    const value = Number(text);
    return Number.isFinite(value) ? value : null;
  }
}
