/**
 * Type-level paths through a model's fields and relations: what filter(),
 * values(), orderBy(), F(), aggregates, selectRelated() and prefetchRelated()
 * accept, and the value type found at the end of a path. Recursion is capped
 * at a few levels to keep the compiler fast.
 */
import type { FieldValue } from '../fields/field.js';
import type { ForeignKey, ManyToManyField } from '../fields/relation-fields.js';
import type { AnyModel, Model } from '../model/model.js';
import type { ColumnFieldName, Fields, ForeignKeyName, ManyToManyName, ModelRegistry, PkValue, RelationTarget } from '../model/model-types.js';

/** Depth counter: Prev[3] = 2, ..., Prev[0] = never. */
type Prev = [never, 0, 1, 2, 3];

/** Fields declared on a model (including the implicit `id`). */
export type FieldsOf<M> = M extends { readonly fields: infer F } ? F : never;

type RelatedNameOf<R, Source extends string> = R extends { options: { relatedName: infer N extends string } }
  ? N extends '+'
    ? never
    : N
  : R extends { m2m: { relatedName: infer N extends string } }
    ? N extends '+'
      ? never
      : N
    : `${Uncapitalize<Source extends `${string}.${infer Name}` ? Name : Source>}Set`;

/** One relation declared in ModelRegistry, seen from its target: accessor name, target label, holding model. */
interface RegistryEdge<Name extends string, Target, Source> {
  readonly name: Name;
  readonly target: Target;
  readonly source: Source;
}

type TargetName<R> = R extends ForeignKey<infer T, boolean, boolean> | ManyToManyField<infer T> ? (T extends { readonly name: infer N } ? N : never) : never;

/** Every relation of every registered model, computed once (not per model asked about). */
type RegistryEdges = {
  [R in keyof ModelRegistry]: ModelRegistry[R] extends { readonly fields: infer RF }
    ? {
        [K in keyof RF & string]: RF[K] extends ForeignKey<AnyModel, boolean, boolean> | ManyToManyField<AnyModel>
          ? RegistryEdge<RelatedNameOf<RF[K], R & string>, TargetName<RF[K]>, ModelRegistry[R]>
          : never;
      }[keyof RF & string]
    : never;
}[keyof ModelRegistry];

/**
 * Relations pointing at M from models declared in ModelRegistry, by accessor
 * name (`author.posts`): name -> the model holding the relation.
 */
export type ReverseRelationsOf<M> = M extends { readonly name: infer Name }
  ? { [E in RegistryEdges as E extends RegistryEdge<infer N, Name, unknown> ? N : never]: E['source'] }
  : never;

/**
 * True when M is declared in ModelRegistry. Reverse relations are only
 * known for registered models; for others, relation names that may be
 * reverse accessors are accepted as plain strings (and checked at run time).
 */
export type IsRegistered<M> = M extends { readonly name: infer N } ? (N extends keyof ModelRegistry ? true : false) : false;

/** Many-valued relations of M: many-to-many fields and reverse relations, name -> target model. */
export type ManyRelationsOf<M> = { [K in ManyToManyName<FieldsOf<M>>]: RelationTarget<FieldsOf<M>[K]> } & ReverseRelationsOf<M>;
type ManyRelationName<M> = keyof ManyRelationsOf<M> & string;

/** Column paths: own columns, `<fk>Id`, `pk`, and columns reached through foreign keys (`author.name`). */
export type FieldPath<M, D extends number = 3> = FieldPathOf<FieldsOf<M>, D>;
type FieldPathOf<F, D extends number> =
  | ColumnFieldName<F>
  | `${ForeignKeyName<F>}Id`
  | 'pk'
  | ([D] extends [never] ? never : { [K in ForeignKeyName<F>]: `${K}.${FieldPath<RelationTarget<F[K]>, Prev[D]>}` }[ForeignKeyName<F>]);

/** Paths aggregates accept: column paths plus many-valued relations and their columns (`posts`, `posts.views`). */
export type AggregatePath<M> = IsRegistered<M> extends true ? RegisteredAggregatePath<M, 1> : FieldPath<M> | (string & {});
type RegisteredAggregatePath<M, D extends number> =
  | FieldPath<M>
  | {
      [K in ManyRelationName<M>]: K | `${K}.${[D] extends [never] ? FieldPath<ManyRelationsOf<M>[K], 1> : RegisteredAggregatePath<ManyRelationsOf<M>[K], Prev[D]>}`;
    }[ManyRelationName<M>];

/** Foreign-key chains for selectRelated(): `author`, `author.profile`. */
export type RelatedPath<M, D extends number = 3> = [D] extends [never]
  ? never
  : { [K in ForeignKeyName<FieldsOf<M>>]: K | `${K}.${RelatedPath<RelationTarget<FieldsOf<M>[K]>, Prev[D]>}` }[ForeignKeyName<FieldsOf<M>>];

/** Every relation of M, forward and many-valued: name -> target model. */
export type RelationMapOf<M> = { [K in ForeignKeyName<FieldsOf<M>>]: RelationTarget<FieldsOf<M>[K]> } & ManyRelationsOf<M>;

/** Relation chains for prefetchRelated(): any relation, forward or reverse, then further relations (`posts.comments`). */
export type PrefetchPath<M, D extends number = 1> = [D] extends [never] ? never : IsRegistered<M> extends true ? PrefetchPathOf<RelationMapOf<M>, D> : string;
type PrefetchPathOf<R, D extends number> = { [K in keyof R & string]: K | `${K}.${PrefetchPath<R[K], Prev[D]>}` }[keyof R & string];

type NullableFk<Fld> = Fld extends ForeignKey<infer _T, infer N, boolean> ? N : false;

/** Value type at the end of a column path; nullable when an optional foreign key is crossed. */
export type PathValue<M, P extends string> = PathValueOf<M, FieldsOf<M>, P>;
type PathValueOf<M, F, P extends string> = P extends 'pk'
  ? PkValue<M>
  : P extends keyof F
    ? FieldValue<F[P]>
    : P extends `${infer K}Id`
      ? K extends ForeignKeyName<F>
        ? FieldValue<F[K]>
        : never
      : P extends `${infer Head}.${infer Rest}`
        ? Head extends ForeignKeyName<F>
          ? PathValue<RelationTarget<F[Head]>, Rest> | (NullableFk<F[Head]> extends true ? null : never)
          : never
        : never;

/** Value type at the end of an aggregate path; a bare many-valued relation stands for its primary key. */
export type AggregatePathValue<M, P extends string> = P extends ManyRelationName<M>
  ? PkValue<ManyRelationsOf<M>[P]>
  : P extends `${infer Head}.${infer Rest}`
    ? Head extends ManyRelationName<M>
      ? AggregatePathValue<ManyRelationsOf<M>[Head], Rest> | null
      : PathValue<M, P>
    : PathValue<M, P>;

export type { Fields };
