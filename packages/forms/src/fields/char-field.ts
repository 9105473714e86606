import { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { Attrs } from '../render/html-attrs.js';
import { textIssue } from '../validation/text-checks.js';
import { TextInput } from '../widgets/input.js';
import type { Widget } from '../widgets/widget.js';
import { EMPTY, FormField, type Empty, type FormFieldOptions } from './form-field.js';
import { rawText } from './raw-text.js';

export interface CharFieldOptions<T = string> extends FormFieldOptions<T> {
  maxLength?: number;
  minLength?: number;
  /** Trim surrounding white space (default true; false for passwords). */
  strip?: boolean;
  /** What an empty, optional field gives: '' (default) or null (for nullable model fields). */
  emptyValue?: '' | null;
}

/**
 * Text on one line (`<input type="text">`). Empty input gives '' (or
 * `emptyValue`). NUL characters and lone surrogates are refused.
 * @example fields.char({ maxLength: 200, label: 'Title' })
 */
export class CharField<T extends string | null = string> extends FormField<T> {
  readonly maxLength: number | undefined;
  readonly minLength: number | undefined;
  readonly strip: boolean;
  readonly #emptyValue: '' | null;

  constructor(options: CharFieldOptions<T> = {}) {
    super(options);
    this.maxLength = options.maxLength;
    this.minLength = options.minLength;
    this.strip = options.strip ?? true;
    this.#emptyValue = options.emptyValue === null ? null : '';
  }

  protected defaultWidget(): Widget {
    return new TextInput();
  }

  /** Attributes the field adds to its widget (maxlength, minlength). */
  override widgetAttrs(): Attrs {
    return { maxlength: this.maxLength, minlength: this.minLength };
  }

  protected toValue(raw: unknown): T | Empty {
    const text = rawText(raw);
    if (text === EMPTY) return EMPTY;
    const value = this.strip ? text.trim() : text;
    if (value === '') return EMPTY;
    const issue = textIssue(value);
    if (issue) throw new ValidationError(issue);
    return this.normalize(value) as T;
  }

  /** Adjust a non-empty value after trimming (URL fields add a scheme). */
  protected normalize(value: string): string {
    return value;
  }

  protected buildSchema(): z.ZodType {
    let schema = z.string();
    if (this.maxLength !== undefined) schema = schema.max(this.maxLength);
    if (this.minLength !== undefined) schema = schema.min(this.minLength);
    return schema;
  }

  protected emptyValue(): T {
    return this.#emptyValue as T;
  }
}
