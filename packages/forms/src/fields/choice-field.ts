import { ImproperlyConfigured } from '@atrium/core';
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { Select, SelectMultiple } from '../widgets/select.js';
import type { Widget, WidgetChoice } from '../widgets/widget.js';
import { EMPTY, FormField, type Empty, type FormFieldOptions } from './form-field.js';

/** A choice value: what is stored (strings, or numbers for integer choices). */
export type ChoiceValue = string | number;

/** Choices as a list of values, or of [value, label] pairs. */
export type Choices<V extends ChoiceValue> = ReadonlyArray<V | readonly [V, string]>;

// More values than any select offers: a longer list is refused before it is looked at.
const MAX_SUBMITTED_VALUES = 1000;

export interface ChoiceFieldOptions<T> extends FormFieldOptions<T> {
  /** Label of the empty first option of a select; null for none. Default '---------'. */
  emptyLabel?: string | null;
}

/** Normalised choices: text key -> value and label. */
class ChoiceTable<V extends ChoiceValue> {
  readonly byKey = new Map<string, V>();
  readonly list: WidgetChoice[] = [];
  constructor(choices: Choices<V>, owner: string) {
    if (!Array.isArray(choices)) throw new ImproperlyConfigured(`${owner} needs a list of choices, e.g. ['draft', 'live'] or [['d', 'Draft'], ['l', 'Live']].`);
    for (const choice of choices) {
      const [value, label] = Array.isArray(choice) ? (choice as unknown as readonly [V, string]) : [choice as V, String(choice)];
      if (typeof value !== 'string' && typeof value !== 'number') {
        throw new ImproperlyConfigured(`${owner} has a choice of type ${typeof value}; choice values are strings or numbers.`);
      }
      this.byKey.set(String(value), value);
      this.list.push({ value: String(value), label });
    }
  }
}

/** The text key of one submitted choice, or null when it is not a string or number. */
function choiceKey(raw: unknown): string | null {
  if (typeof raw === 'string') return raw.trim();
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  return null;
}

/**
 * One of a fixed list of values; the cleaned value has the choice's type
 * (`'draft' | 'live'`, or numbers for integer choices).
 * @example fields.choice([['d', 'Draft'], ['l', 'Live']], { initial: 'd' })
 */
export class ChoiceField<V extends ChoiceValue, T extends V | null = V> extends FormField<T> {
  readonly #table: ChoiceTable<V>;
  readonly emptyLabel: string | null;

  constructor(choices: Choices<V>, options: ChoiceFieldOptions<T> = {}) {
    super(options);
    this.#table = new ChoiceTable(choices, 'ChoiceField');
    this.emptyLabel = options.emptyLabel === undefined ? '---------' : options.emptyLabel;
  }

  protected defaultWidget(): Widget {
    return new Select();
  }

  protected toValue(raw: unknown): T | Empty {
    if (raw === undefined || raw === null) return EMPTY;
    const key = choiceKey(raw);
    if (key === null) throw new ValidationError({ code: 'invalid_choice', params: { value: typeof raw } });
    if (key === '') return EMPTY;
    const value = this.#table.byKey.get(key);
    if (value === undefined) throw new ValidationError({ code: 'invalid_choice', params: { value: key } });
    return value as T;
  }

  protected buildSchema(): z.ZodType {
    return z.union([z.string(), z.number()]);
  }

  protected emptyValue(): T {
    return null as T;
  }

  override widgetChoices(): readonly WidgetChoice[] {
    const showEmpty = this.emptyLabel !== null && this.widget instanceof Select && !this.widget.allowsMultiple;
    return showEmpty ? [{ value: '', label: this.emptyLabel! }, ...this.#table.list] : this.#table.list;
  }
}

export interface MultipleChoiceFieldOptions<T> extends FormFieldOptions<T> {
  /** At most this many selected. */
  maxChoices?: number;
  /** At least this many selected (when anything is selected; `required` says whether none is allowed). */
  minChoices?: number;
}

/**
 * Several of a fixed list of values, as a list without duplicates; empty
 * gives []. Accepts repeated form keys or a JSON array.
 * @example fields.multipleChoice(['red', 'green', 'blue'], { required: false })
 */
export class MultipleChoiceField<V extends ChoiceValue> extends FormField<V[]> {
  readonly #table: ChoiceTable<V>;
  readonly maxChoices: number | undefined;
  readonly minChoices: number | undefined;

  constructor(choices: Choices<V>, options: MultipleChoiceFieldOptions<V[]> = {}) {
    super(options);
    this.#table = new ChoiceTable(choices, 'MultipleChoiceField');
    this.maxChoices = options.maxChoices;
    this.minChoices = options.minChoices;
  }

  protected defaultWidget(): Widget {
    return new SelectMultiple();
  }

  protected toValue(raw: unknown): V[] | Empty {
    const keys = submittedKeys(raw);
    if (keys.length === 0) return EMPTY;
    const values: V[] = [];
    for (const key of new Set(keys)) {
      const value = this.#table.byKey.get(key);
      if (value === undefined) throw new ValidationError({ code: 'invalid_choice', params: { value: key } });
      values.push(value);
    }
    return values;
  }

  protected buildSchema(): z.ZodType {
    let schema = z.array(z.union([z.string(), z.number()]));
    if (this.maxChoices !== undefined) schema = schema.max(this.maxChoices);
    if (this.minChoices !== undefined) schema = schema.min(this.minChoices);
    return schema;
  }

  protected emptyValue(): V[] {
    return [];
  }

  override formatValue(value: unknown): readonly string[] {
    return formatList(value);
  }

  override widgetChoices(): readonly WidgetChoice[] {
    return this.#table.list;
  }
}

/**
 * The text keys of a multi-valued field's raw data: a list (form values or
 * a JSON array) or a single value. Throws `invalid_list` for anything else,
 * for non-scalar items, and for absurdly long lists.
 */
export function submittedKeys(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  const items = Array.isArray(raw) ? raw : [raw];
  if (items.length > MAX_SUBMITTED_VALUES) throw new ValidationError({ code: 'invalid_list' });
  const keys: string[] = [];
  for (const item of items) {
    const key = choiceKey(item);
    if (key === null) throw new ValidationError({ code: 'invalid_list' });
    if (key !== '') keys.push(key);
  }
  return keys;
}

/** A list value as strings for a multi-valued widget; anything that is not a list of scalars shows as nothing selected. */
export function formatList(value: unknown, key: (item: unknown) => string | null = choiceKey): readonly string[] {
  if (!Array.isArray(value)) return value === undefined || value === null ? [] : [key(value)].filter((k): k is string => k !== null);
  return value.slice(0, MAX_SUBMITTED_VALUES).map(key).filter((k): k is string => k !== null);
}
