/**
 * The typed filter language: `{ title: { icontains: 'orm' }, author: { name: 'Ann' } }`.
 * A plain value means `exact`, `null` means `isnull`, a nested object on a
 * relation filters through it (forward: join; reverse and many-to-many:
 * EXISTS subquery, so rows are never duplicated). Compiled at run time by
 * compile-where.ts, which also rejects unknown names from untyped input.
 */
import type { Field } from '../fields/field.js';
import type { JsonField } from '../fields/json-field.js';
import type { DecimalField } from '../fields/number-fields.js';
import type { DateField, DateTimeField, TimeField } from '../fields/temporal-fields.js';
import type { ForeignKey, ManyToManyField } from '../fields/relation-fields.js';
import type { Model } from '../model/model.js';
import type { ForeignKeyName, Instance, PkValue } from '../model/model-types.js';
import type { Expression, ExpressionKind } from './expressions.js';
import type { FieldPath, IsRegistered, ReverseRelationsOf } from './type-paths.js';

/** A value, or a column expression (`F('views')`) reading only fields of the model. */
type Operand<T, P extends string> = T | Expression<P, ExpressionKind>;

/** Lookups every comparable field has. */
export interface ComparisonLookups<T, P extends string = never> {
  exact?: Operand<T, P> | null;
  /** A null in the list also matches NULL. */
  in?: ReadonlyArray<T | null>;
  gt?: Operand<T, P>;
  gte?: Operand<T, P>;
  lt?: Operand<T, P>;
  lte?: Operand<T, P>;
  /** Inclusive bounds, like SQL BETWEEN. */
  range?: readonly [Operand<T, P>, Operand<T, P>];
  isnull?: boolean;
}

/**
 * Text lookups. `contains`/`startswith`/`endswith` are case-sensitive and
 * the `i` variants case-insensitive on both databases; `%` and `_` in the
 * value match themselves. `regex` is PostgreSQL's `~` and a JavaScript
 * RegExp on SQLite: stick to the syntax both share.
 */
export interface TextLookups {
  iexact?: string;
  contains?: string;
  icontains?: string;
  startswith?: string;
  istartswith?: string;
  endswith?: string;
  iendswith?: string;
  regex?: string;
  iregex?: string;
}

/** A date part compared as a number: `{ year: 2026 }` or `{ year: { gte: 2020 } }`. */
export type PartCondition = number | ComparisonLookups<number>;

/** Parts of a date (UTC for datetimes). `weekDay` is 1 = Sunday ... 7 = Saturday, as in Django. */
export interface DateLookups {
  year?: PartCondition;
  month?: PartCondition;
  day?: PartCondition;
  weekDay?: PartCondition;
}

/** Parts of a datetime (UTC); `date` is its 'YYYY-MM-DD'. */
export interface DateTimeLookups extends DateLookups {
  date?: string | ComparisonLookups<string>;
  hour?: PartCondition;
  minute?: PartCondition;
  second?: PartCondition;
}

/** JSON fields: presence of the value or of a top-level key. */
export interface JsonLookups {
  isnull?: boolean;
  hasKey?: string;
}

type ValueOf<Fld> = Fld extends Field<infer T, boolean, boolean> ? T : never;
type NullOf<Fld> = Fld extends Field<unknown, infer N, boolean> ? N : false;

type LookupsFor<Fld, P extends string> = ComparisonLookups<ValueOf<Fld>, P> &
  (Fld extends DecimalField | DateField | TimeField ? unknown : ValueOf<Fld> extends string ? TextLookups : unknown) &
  (Fld extends DateTimeField ? DateTimeLookups : Fld extends DateField ? DateLookups : unknown);

/** What a column field accepts in a filter. */
export type FieldCondition<Fld, P extends string> =
  Fld extends JsonField<unknown, boolean, boolean>
    ? JsonLookups | (NullOf<Fld> extends true ? null : never)
    : Operand<ValueOf<Fld>, P> | LookupsFor<Fld, P> | (NullOf<Fld> extends true ? null : never);

/** What a relation accepts: a filter on the related model, an instance, or (forward) its key. */
export type RelationCondition<T, Nullable extends boolean, ByKey extends boolean> =
  | Where<T>
  | Instance<T>
  | (ByKey extends true ? PkValue<T> : never)
  | (Nullable extends true ? null : never);

type FieldsWhere<M, F> = {
  [K in keyof F & string]?: F[K] extends ManyToManyField<infer T>
    ? RelationCondition<T, true, false>
    : F[K] extends ForeignKey<infer T, infer N, boolean>
      ? RelationCondition<T, N, true>
      : FieldCondition<F[K], FieldPath<M>>;
} & {
  [K in ForeignKeyName<F> as `${K}Id`]?: F[K] extends ForeignKey<infer T, infer N, boolean>
    ? Operand<PkValue<T>, FieldPath<M>> | ComparisonLookups<PkValue<T>, FieldPath<M>> | (N extends true ? null : never)
    : never;
};

/** Reverse relations: typed for models in ModelRegistry; any other name is accepted for unregistered models and checked at run time. */
type ReverseWhere<M> =
  IsRegistered<M> extends true
    ? { [K in keyof ReverseRelationsOf<M>]?: RelationCondition<ReverseRelationsOf<M>[K], true, false> }
    : { readonly [reverseRelation: string]: unknown };

type AnnotationWhere<A> = {
  [K in keyof A]?: A[K] | Expression<string, ExpressionKind> | ComparisonLookups<Exclude<A[K], null>> | (null extends A[K] ? null : never);
};

/**
 * Filter object for model M (and annotations A added by annotate()).
 * @example
 * const where: Where<typeof Post> = { title: { icontains: 'orm' }, author: { name: 'Ann' }, id: { in: [1, 2] } };
 */
export type Where<M, A = {}> =
  M extends { readonly fields: infer F }
    ? FieldsWhere<M, F> & ReverseWhere<M> & { pk?: Operand<PkValue<M>, FieldPath<M>> | ComparisonLookups<PkValue<M>, FieldPath<M>> } & AnnotationWhere<A>
    : never;
