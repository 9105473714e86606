import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { coercePk, filterBy, objectLabel, pkOf, pkText, querySetOf, type ModelLike, type QuerySetLike } from '../data/queryset-source.js';
import { Select, SelectMultiple } from '../widgets/select.js';
import type { Widget, WidgetChoice } from '../widgets/widget.js';
import { formatList, submittedKeys } from './choice-field.js';
import { EMPTY, FormField, type Empty, type FormFieldOptions } from './form-field.js';

export interface ModelChoiceFieldOptions<T, I> extends FormFieldOptions<T> {
  /** How an object is shown in the list (default: its toString(), name/title field, or "Post object (3)"). */
  choiceLabel?: (object: I) => string;
  /** Label of the empty first option; null for none. Default '---------' (none for a required field with an initial value). */
  emptyLabel?: string | null;
}

/** Choices from a queryset, evaluated when needed and again for every form. */
abstract class QuerySetChoiceField<T, I> extends FormField<T> {
  readonly #source: QuerySetLike<I> | ModelLike<I>;
  readonly #label: ((object: I) => string) | undefined;

  constructor(source: QuerySetLike<I> | ModelLike<I>, options: ModelChoiceFieldOptions<T, I>) {
    super(options);
    this.#source = source;
    this.#label = options.choiceLabel;
  }

  /** The queryset the choices come from (a fresh, unevaluated one). */
  get queryset(): QuerySetLike<I> {
    return querySetOf(this.#source);
  }

  /** The choices are loaded by `form.prepare()`, not known when the field is declared. */
  override get hasLazyChoices(): boolean {
    return true;
  }

  /** Run the queryset and turn each object into a choice (value = primary key). */
  override async loadChoices(): Promise<readonly WidgetChoice[]> {
    const qs = this.queryset;
    const objects = await qs;
    return objects.map((object) => ({ value: pkText(pkOf(object)) ?? '', label: this.#label ? this.#label(object) : objectLabel(object, qs.model) }));
  }

  /** The submitted keys converted to the primary key type; `invalid_pk_value` for one that cannot be a key. */
  protected keysToPks(keys: readonly string[]): unknown[] {
    const pkField = this.queryset.model.meta.pk;
    return keys.map((key) => {
      const pk = coercePk(pkField, key);
      if (pk === null) throw new ValidationError({ code: 'invalid_pk_value', params: { pk: key } });
      return pk;
    });
  }

  /** The objects of the queryset with these keys. */
  protected async fetch(pks: readonly unknown[]): Promise<I[]> {
    return filterBy(this.queryset, { pk: { in: [...pks] } });
  }

  protected buildSchema(): z.ZodType {
    return z.unknown();
  }

  protected keyOf(value: unknown): string | null {
    return pkText(typeof value === 'object' && value !== null ? pkOf(value) : value);
  }
}

/**
 * One object of a queryset (or model), shown as a select of the objects;
 * the cleaned value is the object. The queryset runs when the form is
 * prepared for rendering and, for validation, only to look up the
 * submitted key, so limiting choices per request is
 * `fields.modelChoice(Post.objects.filter({ author: user.id }))`.
 * @example fields.modelChoice(Author, { choiceLabel: (a) => a.name })
 */
export class ModelChoiceField<I, T extends I | null = I> extends QuerySetChoiceField<T, I> {
  readonly emptyLabel: string | null;

  constructor(source: QuerySetLike<I> | ModelLike<I>, options: ModelChoiceFieldOptions<T, I> = {}) {
    super(source, options);
    this.emptyLabel = options.emptyLabel === undefined ? '---------' : options.emptyLabel;
  }

  protected defaultWidget(): Widget {
    return new Select();
  }

  protected async toValue(raw: unknown): Promise<T | Empty> {
    // One key: a list or an object (JSON) where one value is expected is refused, not reduced to an item.
    if (typeof raw === 'object' && raw !== null) throw new ValidationError({ code: 'invalid_pk_value', params: { pk: Array.isArray(raw) ? 'a list' : 'an object' } });
    const keys = submittedKeys(raw);
    if (keys.length === 0) return EMPTY;
    const [pk] = this.keysToPks(keys);
    const [found] = await this.fetch([pk]);
    if (found === undefined) throw new ValidationError({ code: 'invalid_choice', params: { value: keys[0]! } });
    return found as T;
  }

  protected emptyValue(): T {
    return null as T;
  }

  override formatValue(value: unknown): string | null {
    return this.keyOf(value);
  }

  override async loadChoices(): Promise<readonly WidgetChoice[]> {
    const choices = await super.loadChoices();
    const showEmpty = this.emptyLabel !== null && this.widget instanceof Select && !this.widget.allowsMultiple;
    return showEmpty ? [{ value: '', label: this.emptyLabel! }, ...choices] : choices;
  }
}

/**
 * Several objects of a queryset (or model), as a list in the order
 * submitted; empty gives []. Many-to-many fields of model forms use it.
 * @example fields.modelMultipleChoice(Tag.objects.orderBy('name'), { required: false })
 */
export class ModelMultipleChoiceField<I> extends QuerySetChoiceField<I[], I> {
  constructor(source: QuerySetLike<I> | ModelLike<I>, options: ModelChoiceFieldOptions<I[], I> = {}) {
    super(source, options);
  }

  protected defaultWidget(): Widget {
    return new SelectMultiple();
  }

  protected async toValue(raw: unknown): Promise<I[] | Empty> {
    const keys = [...new Set(submittedKeys(raw))];
    if (keys.length === 0) return EMPTY;
    const pks = this.keysToPks(keys);
    const found = await this.fetch(pks);
    const byKey = new Map(found.map((object) => [this.keyOf(object), object]));
    const objects: I[] = [];
    for (const [index, pk] of pks.entries()) {
      const object = byKey.get(this.keyOf(pk));
      if (object === undefined) throw new ValidationError({ code: 'invalid_choice', params: { value: keys[index]! } });
      objects.push(object);
    }
    return objects;
  }

  protected emptyValue(): I[] {
    return [];
  }

  override formatValue(value: unknown): readonly string[] {
    return formatList(value, (item) => this.keyOf(item));
  }
}
