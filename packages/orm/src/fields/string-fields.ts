import { Field, type Dialect, type FieldOptions } from './field.js';

export interface StringFieldOptions extends FieldOptions<string> {
  /** Required: the column is varchar(maxLength). */
  maxLength: number;
}

/** Bounded text: `varchar(maxLength)`. */
export class StringField<N extends boolean = boolean, O extends boolean = boolean> extends Field<string, N, O> {
  readonly kind: 'string' | 'email' | 'url' | 'slug' = 'string';
  readonly maxLength: number;
  constructor(options: StringFieldOptions) {
    super(options);
    if (!Number.isInteger(options.maxLength) || options.maxLength <= 0) {
      throw new TypeError(`maxLength must be a positive integer, got ${String(options.maxLength)}`);
    }
    this.maxLength = options.maxLength;
  }
  dbType(): string {
    return `varchar(${this.maxLength})`;
  }
  protected override validateValue(value: string): string[] {
    if (typeof value !== 'string') return [`Expected text, got ${typeof value}.`];
    const errors: string[] = [];
    if (value.length > this.maxLength) errors.push(`Ensure this value has at most ${this.maxLength} characters (it has ${value.length}).`);
    if (value === '' && this.options.blank === false) errors.push('This field cannot be blank.');
    return errors;
  }
}

/** Unbounded text. */
export class TextField<N extends boolean = boolean, O extends boolean = boolean> extends Field<string, N, O> {
  readonly kind = 'text' as const;
  dbType(): string {
    return 'text';
  }
  protected override validateValue(value: string): string[] {
    return typeof value === 'string' ? [] : [`Expected text, got ${typeof value}.`];
  }
}

// Linear-time patterns only: these run on untrusted input.
const EMAIL = /^[^\s@]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const SLUG = /^[-a-zA-Z0-9_]+$/;

export class EmailField<N extends boolean = boolean, O extends boolean = boolean> extends StringField<N, O> {
  override readonly kind = 'email' as const;
  constructor(options: Partial<StringFieldOptions> = {}) {
    super({ maxLength: 254, ...options });
  }
  protected override validateValue(value: string): string[] {
    const errors = super.validateValue(value);
    if (typeof value === 'string' && value !== '' && (value.length > 254 || !EMAIL.test(value))) errors.push('Enter a valid email address.');
    return errors;
  }
}

export class UrlField<N extends boolean = boolean, O extends boolean = boolean> extends StringField<N, O> {
  override readonly kind = 'url' as const;
  constructor(options: Partial<StringFieldOptions> = {}) {
    super({ maxLength: 200, ...options });
  }
  protected override validateValue(value: string): string[] {
    const errors = super.validateValue(value);
    if (typeof value === 'string' && value !== '' && !isHttpUrl(value)) errors.push('Enter a valid URL.');
    return errors;
  }
}

function isHttpUrl(value: string): boolean {
  if (value.length > 2048) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

export class SlugField<N extends boolean = boolean, O extends boolean = boolean> extends StringField<N, O> {
  override readonly kind = 'slug' as const;
  constructor(options: Partial<StringFieldOptions> = {}) {
    super({ maxLength: 50, index: true, ...options });
  }
  protected override validateValue(value: string): string[] {
    const errors = super.validateValue(value);
    if (typeof value === 'string' && value !== '' && !SLUG.test(value)) errors.push('Enter a valid slug of letters, numbers, underscores or hyphens.');
    return errors;
  }
}

export type { Dialect };
