/**
 * What forms, paginators and generic views need of an ORM queryset, in one
 * place: the model it selects, filtering, counting, slicing and awaiting.
 * Kept structural so any object with this shape (a QuerySet of
 * @atrium/orm, a test double) fits.
 */
import type { AnyField, AnyModel } from '@atrium/orm';

/** An ORM queryset (or anything shaped like one) yielding rows of type T. */
export interface QuerySetLike<T> extends PromiseLike<T[]> {
  readonly model: AnyModel;
  // `never[]` accepts any queryset's typed filter signature; calls go through `filterBy`.
  filter(...conditions: never[]): QuerySetLike<T>;
  count(): Promise<number>;
  slice(start: number, end?: number): QuerySetLike<T>;
}

/** A model, as far as forms use one: its default manager's `all()`. */
export interface ModelLike<T> {
  readonly meta: AnyModel['meta'];
  readonly objects: { all(): QuerySetLike<T> };
}

/** True for a queryset-shaped object (not an array). */
export function isQuerySet(value: unknown): value is QuerySetLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as QuerySetLike<unknown>).filter === 'function' &&
    typeof (value as QuerySetLike<unknown>).slice === 'function' &&
    typeof (value as QuerySetLike<unknown>).count === 'function'
  );
}

/** A queryset from a queryset or a model (its `objects.all()`). */
export function querySetOf<T>(source: QuerySetLike<T> | ModelLike<T>): QuerySetLike<T> {
  return isQuerySet(source) ? source : (source as ModelLike<T>).objects.all();
}

/** `qs.filter(where)` with an untyped condition (field names checked by the ORM at run time). */
export function filterBy<T>(qs: QuerySetLike<T>, where: Readonly<Record<string, unknown>>): QuerySetLike<T> {
  return (qs.filter as (...conditions: unknown[]) => QuerySetLike<T>).call(qs, where);
}

/** `qs.orderBy(...keys)` when the queryset can order (ORM querysets can), else the queryset as it is. */
export function orderedBy<T>(qs: QuerySetLike<T>, ...keys: string[]): QuerySetLike<T> {
  const orderBy = (qs as QuerySetLike<T> & { orderBy?: (...keys: string[]) => QuerySetLike<T> }).orderBy;
  return typeof orderBy === 'function' ? orderBy.apply(qs, keys) : qs;
}

/** The primary key of an ORM instance (its `pk` accessor). */
export function pkOf(instance: unknown): unknown {
  return typeof instance === 'object' && instance !== null ? (instance as { pk?: unknown }).pk : undefined;
}

const INTEGER_TEXT = /^[+-]?\d{1,20}$/;
const UUID_TEXT = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

/**
 * A submitted key converted to the primary key's type, or null when it
 * cannot be one (so 'abc' never reaches an integer column of PostgreSQL,
 * which would fail the query instead of reporting an invalid choice).
 */
export function coercePk(field: AnyField, raw: string | number): unknown {
  const text = String(raw).trim();
  switch (field.kind) {
    case 'autoField':
    case 'integer': {
      if (!INTEGER_TEXT.test(text)) return null;
      const value = Number(text);
      return Number.isSafeInteger(value) ? value : null;
    }
    case 'bigint':
      return INTEGER_TEXT.test(text) ? BigInt(text) : null;
    case 'uuid': {
      if (!UUID_TEXT.test(text)) return null;
      const hex = text.replace(/-/g, '').toLowerCase();
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    }
    case 'foreignKey':
    case 'oneToOne':
      return coercePk((field as AnyField & { target: AnyModel }).target.meta.pk, raw);
    default: {
      if (text === '') return null;
      const maxLength = (field as AnyField & { maxLength?: number }).maxLength;
      return maxLength !== undefined && text.length > maxLength ? null : text;
    }
  }
}

/** A primary key as the text a form submits. */
export function pkText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return null;
}

// Fields commonly holding an object's human name, tried in order for its default label.
const LABEL_FIELDS = ['name', 'title', 'label', 'username', 'slug', 'email'];

/**
 * How an object is named in a select: its own toString() when it defines
 * one, else its name/title/label/... field, else "Post object (3)".
 */
export function objectLabel(instance: unknown, model: AnyModel): string {
  if (typeof instance !== 'object' || instance === null) return String(instance);
  const own = (instance as { toString?: () => string }).toString;
  if (typeof own === 'function' && own !== Object.prototype.toString) {
    const text = own.call(instance);
    if (!text.startsWith('[object ')) return text;
  }
  const row = instance as Record<string, unknown>;
  for (const name of LABEL_FIELDS) {
    if (model.meta.fieldMap.has(name) && typeof row[name] === 'string' && row[name] !== '') return row[name];
  }
  return `${model.meta.modelName} object (${String(pkOf(instance))})`;
}
