import type { z } from 'zod';
import type { SafeHtml } from '@atrium/templates';
import { ValidationError } from '../errors.js';
import type { Messages } from '../messages.js';
import type { IssueInit } from '../validation/issue.js';
import { issuesFromZod } from '../validation/zod-issues.js';
import type { Attrs } from '../render/html-attrs.js';
import type { Widget, WidgetChoice } from '../widgets/widget.js';

/** Returned by `toValue()` for "nothing was entered". */
export const EMPTY: unique symbol = Symbol('forms.empty');
export type Empty = typeof EMPTY;

/**
 * A check of a cleaned, non-empty value: a function that throws
 * ValidationError or returns an issue or message (nothing when fine), or a
 * zod schema the value must satisfy.
 * @example const noShouting: Validator<string> = (v) => (v === v.toUpperCase() ? { code: 'shouting', message: 'Please do not shout.' } : undefined);
 */
export type Validator<T> = ValidatorFunction<T> | z.ZodType;

// Method syntax makes the parameter bivariant, so a field of a narrower type still fits `AnyFormField`.
type ValidatorFunction<T> = { check(value: T): void | string | IssueInit | Promise<void | string | IssueInit> }['check'];

/** Options every field accepts. */
export interface FormFieldOptions<T> {
  /** Must be filled in (default true; boolean fields default to false: true means "must be checked"). */
  required?: boolean;
  /** The label; default: the field name in words ("publishedAt" -> "Published at"). Plain text is escaped; markSafe() it for markup. */
  label?: string | SafeHtml;
  /** The value shown in an unbound form; a function is called per form. */
  initial?: T | (() => T);
  helpText?: string | SafeHtml;
  widget?: Widget;
  /** Shown but not editable: the submitted value is ignored and the initial value used. */
  disabled?: boolean;
  /** Message overrides for this field: issue code -> text with `{param}` placeholders. */
  messages?: Messages;
  validators?: ReadonlyArray<Validator<NonNullable<T>>>;
}

/** What a field learns about the form while cleaning. */
export interface CleanContext {
  /** The initial value of the field (a file field keeps it when nothing new is uploaded). */
  readonly initial: unknown;
}

/**
 * A form field: turns submitted raw data (strings from a form, any JSON
 * value, uploaded files) into a typed value, or reports issues. The output
 * type `T` is a phantom read by `CleanedData`. Steps, each overridable:
 * `toValue()` coerces (never throws for any input other than with
 * ValidationError), emptiness is checked against `required`, the zod
 * `schema()` checks the constraints, then `validators`.
 */
export abstract class FormField<T = unknown> {
  declare readonly '~output': T;
  readonly required: boolean;
  readonly label: string | SafeHtml | undefined;
  readonly helpText: string | SafeHtml | undefined;
  readonly widget: Widget;
  readonly disabled: boolean;
  readonly messages: Messages;
  readonly validators: ReadonlyArray<Validator<NonNullable<T>>>;
  readonly #initial: T | (() => T) | undefined;
  #schema: z.ZodType | undefined;

  constructor(options: FormFieldOptions<T>, defaultRequired = true) {
    this.required = options.required ?? defaultRequired;
    this.label = options.label;
    this.helpText = options.helpText;
    this.disabled = options.disabled === true;
    this.messages = options.messages ?? {};
    this.validators = options.validators ?? [];
    this.#initial = options.initial;
    this.widget = options.widget ?? this.defaultWidget();
  }

  /** The widget used when none is given. */
  protected abstract defaultWidget(): Widget;

  /** Coerce raw data to a value, or EMPTY; throw ValidationError for data of the wrong shape. */
  protected abstract toValue(raw: unknown, context: CleanContext): T | Empty | Promise<T | Empty>;

  /** The constraints on a non-empty value, as a zod schema (built once). */
  protected abstract buildSchema(): z.ZodType;

  /** What a field that may be left empty gives when it is. */
  protected abstract emptyValue(): T;

  /** The zod schema of the constraints on a non-empty value. */
  get schema(): z.ZodType {
    return (this.#schema ??= this.buildSchema());
  }

  /** The declared initial value (functions called). */
  initialValue(): T | undefined {
    const initial = this.#initial;
    return typeof initial === 'function' ? (initial as () => T)() : initial;
  }

  /**
   * Clean raw data into the field's value. Throws ValidationError with the
   * issues; anything else thrown is a bug or an infrastructure failure.
   */
  async clean(raw: unknown, context: CleanContext): Promise<T> {
    const value = await this.toValue(raw, context);
    if (value === EMPTY) {
      if (this.required) throw new ValidationError({ code: 'required' });
      return this.emptyValue();
    }
    const parsed = await this.schema.safeParseAsync(value);
    if (!parsed.success) throw new ValidationError(issuesFromZod(parsed.error.issues, value));
    await this.runValidators(value as NonNullable<T>);
    return value;
  }

  /** Run `validators` on a non-empty value, collecting every issue. */
  protected async runValidators(value: NonNullable<T>): Promise<void> {
    const issues: IssueInit[] = [];
    for (const validator of this.validators) {
      if (typeof validator === 'function') {
        try {
          const result = await validator(value);
          if (typeof result === 'string') issues.push({ code: 'invalid', message: result });
          else if (result) issues.push(result);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          issues.push(...error.issues);
        }
      } else {
        const parsed = await validator.safeParseAsync(value);
        if (!parsed.success) issues.push(...issuesFromZod(parsed.error.issues, value));
      }
    }
    if (issues.length > 0) throw new ValidationError(issues);
  }

  /**
   * A value (initial data or a cleaned value) as the widget shows it: a
   * string, a list of strings, or null. Raw submitted data goes through here
   * too, so anything unexpected (a JSON object) shows as nothing.
   */
  formatValue(value: unknown): string | readonly string[] | null {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
    return null;
  }

  /** What a bound form shows: the submitted raw data (file fields show the initial file instead). */
  boundData(raw: unknown, _initial: unknown): unknown {
    return raw;
  }

  /** The choices a choice widget shows (none for other fields). */
  widgetChoices(): readonly WidgetChoice[] | undefined {
    return undefined;
  }

  /** True when the choices come from the database and must be loaded (`form.prepare()`) before rendering. */
  get hasLazyChoices(): boolean {
    return false;
  }

  /** Load the choices to show (a database query for model choice fields). */
  async loadChoices(): Promise<readonly WidgetChoice[] | undefined> {
    return this.widgetChoices();
  }

  /** Attributes the field adds to its widget (maxlength, min, step...). */
  widgetAttrs(): Attrs {
    return {};
  }

  /** Whether submitted raw data differs from the initial value (formsets skip untouched extra forms). */
  hasChanged(initial: unknown, raw: unknown): boolean {
    const before = this.formatValue(initial);
    const after = this.formatValue(raw);
    const normal = (v: string | readonly string[] | null): string => (v === null ? '' : typeof v === 'string' ? v : [...v].sort().join('\u0000'));
    return normal(before) !== normal(after);
  }
}

/** Any field. */
export type AnyFormField = FormField<unknown>;

/** The output type of a field declaration. */
export type FieldOutput<F> = F extends FormField<infer T> ? T : never;

/** `T | null` when the options say `required: false`. */
export type Optional<O, T> = O extends { required: false } ? T | null : T;
