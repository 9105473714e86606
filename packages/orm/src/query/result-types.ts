/**
 * Result types of querysets: what values(), valuesList(), annotate() and
 * aggregate() produce, computed from the model's fields.
 */
import type { ForeignKey } from '../fields/relation-fields.js';
import type { ColumnFieldName, ForeignKeyName, InsertData, Instance, PkValue } from '../model/model-types.js';
import type { Expression, ExpressionKind } from './expressions.js';
import type { AggregatePath, AggregatePathValue, FieldPath, FieldsOf, PathValue } from './type-paths.js';

/** Flatten an intersection for readable hover types. */
export type Prettify<T> = { [K in keyof T]: T[K] } & {};

/** Own column names of M: fields, `<fk>Id`, `pk`. */
export type ColumnName<M> = ColumnFieldName<FieldsOf<M>> | `${ForeignKeyName<FieldsOf<M>>}Id` | 'pk';

/** Names values()/valuesList()/orderBy() accept: column paths and annotation names. */
export type ValuePath<M, A> = FieldPath<M> | (keyof A & string);

/** orderBy() keys: a value path, '-' for descending. */
export type OrderPath<M, A> = ValuePath<M, A> | `-${ValuePath<M, A>}`;

/** Expressions annotate()/aggregate() accept for M: paths checked against the model. */
export type ExpressionFor<M, A> = Expression<AggregatePath<M> | (keyof A & string), ExpressionKind>;

type SumResult<V> = [Exclude<V, null>] extends [never] ? null : (Exclude<V, null> extends bigint ? bigint : Exclude<V, null> extends string ? string : number) | null;

type PathResult<M, A, P extends string> = P extends keyof A ? A[P] : AggregatePathValue<M, P>;

/**
 * The JS type an expression yields for model M: Count -> number, Avg ->
 * number | null, Sum -> number | null (string for decimals, bigint for
 * bigints), Min/Max -> the field's type | null, F -> the field's type,
 * arithmetic -> number.
 */
export type ExpressionResult<M, A, E> =
  E extends Expression<infer P, infer K>
    ? K extends 'count'
      ? number
      : K extends 'avg'
        ? number | null
        : K extends 'arith'
          ? number
          : K extends 'sum'
            ? SumResult<PathResult<M, A, P>>
            : K extends 'min' | 'max'
              ? Exclude<PathResult<M, A, P>, null> | null
              : PathResult<M, A, P>
    : never;

/** `{ n: Count('posts') }` -> `{ n: number }`. */
export type AnnotationResult<M, A, S> = { -readonly [K in keyof S]: ExpressionResult<M, A, S[K]> };

/** A values() row: each requested path with its type. */
export type ValuesRow<M, A, K extends string> = Prettify<{ [P in K]: P extends keyof A ? A[P] : PathValue<M, P> }>;

/** A valuesList() tuple. */
export type ValuesTuple<M, A, K extends readonly string[]> = { -readonly [I in keyof K]: K[I] extends keyof A ? A[K[I]] : PathValue<M, K[I] & string> };

/** values() with no arguments: every column (`<fk>Id` for foreign keys) and the annotations. */
export type AllValues<M, A> = Prettify<
  {
    [K in ColumnFieldName<FieldsOf<M>> as FieldsOf<M>[K] extends ForeignKey ? `${K}Id` : K]: PathValue<M, K>;
  } & A
>;

/** The fields of M an update() may set: values or expressions over M's own columns. */
export type UpdateValues<M> = {
  [K in ColumnFieldName<FieldsOf<M>>]?: (K extends keyof InsertData<M> ? InsertData<M>[K] : never) | Expression<ColumnName<M>, ExpressionKind>;
} & {
  [K in ForeignKeyName<FieldsOf<M>> as `${K}Id`]?: PathValue<M, `${K}Id`> | Expression<ColumnName<M>, ExpressionKind>;
};

/** getOrCreate()/updateOrCreate() lookups: exact values of fields (also used to create). */
export type LookupValues<M> = Partial<InsertData<M>>;

export type { Instance, PkValue };
