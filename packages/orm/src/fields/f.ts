import type { FieldOptions, NullOf, OptionalOf } from './field.js';
import { AutoField } from './auto-field.js';
import { UuidField } from './uuid-field.js';
import { StringField, TextField, EmailField, UrlField, SlugField, type StringFieldOptions } from './string-fields.js';
import { IntegerField, BigIntField, FloatField, DecimalField, type DecimalFieldOptions } from './number-fields.js';
import { BooleanField } from './boolean-field.js';
import { DateField, DateTimeField, TimeField, type AutoTimeOptions } from './temporal-fields.js';
import { JsonField } from './json-field.js';
import { EnumField, type EnumFieldOptions } from './enum-field.js';
import { BinaryField } from './binary-field.js';
import { ForeignKey, OneToOneField, ManyToManyField, type ForeignKeyOptions, type ManyToManyOptions, type ModelRef } from './relation-fields.js';
import type { AnyModel, PkValue } from '../model/model.js';
import type { ModelRegistry } from '../model/model-types.js';

/** The model a reference points at: a thunk's return type, a registered label's model, or any model. */
type TargetOf<R> = R extends () => infer M ? (M extends AnyModel ? M : AnyModel) : R extends keyof ModelRegistry ? (ModelRegistry[R] extends AnyModel ? ModelRegistry[R] : AnyModel) : AnyModel;

/** Marks a field as the primary key at the type level. */
type Pk<F, O> = O extends { primaryKey: true } ? F & { readonly '~pk': true } : F;
/** Auto-time fields are optional on insert. */
type AutoOptional<O> = O extends { autoNow: true } | { autoNowAdd: true } ? true : OptionalOf<O>;

/**
 * Field constructors. The options decide the types: `{ null: true }` makes
 * the value `T | null`, a default makes create() accept it omitted.
 * @example
 * const Post = model('blog.Post', {
 *   title: f.string({ maxLength: 200 }),
 *   body: f.text({ default: '' }),
 *   publishedAt: f.datetime({ null: true }),
 * });
 */
export const f = {
  /** Explicit auto-increment primary key (added as `id` automatically when no primary key is declared). */
  auto: (options: FieldOptions<number> = {}) => new AutoField(options) as AutoField & { readonly '~pk': true },
  uuid: <const O extends FieldOptions<string> = {}>(options?: O) =>
    new UuidField(options ?? {}) as Pk<UuidField<NullOf<O>, O extends { primaryKey: true } ? true : OptionalOf<O>>, O>,
  string: <const O extends StringFieldOptions>(options: O) => new StringField(options) as Pk<StringField<NullOf<O>, OptionalOf<O>>, O>,
  text: <const O extends FieldOptions<string> = {}>(options?: O) => new TextField(options ?? {}) as TextField<NullOf<O>, OptionalOf<O>>,
  email: <const O extends Partial<StringFieldOptions> = {}>(options?: O) => new EmailField(options ?? {}) as EmailField<NullOf<O>, OptionalOf<O>>,
  url: <const O extends Partial<StringFieldOptions> = {}>(options?: O) => new UrlField(options ?? {}) as UrlField<NullOf<O>, OptionalOf<O>>,
  slug: <const O extends Partial<StringFieldOptions> = {}>(options?: O) => new SlugField(options ?? {}) as Pk<SlugField<NullOf<O>, OptionalOf<O>>, O>,
  integer: <const O extends FieldOptions<number> = {}>(options?: O) => new IntegerField(options ?? {}) as Pk<IntegerField<NullOf<O>, OptionalOf<O>>, O>,
  bigint: <const O extends FieldOptions<bigint> = {}>(options?: O) => new BigIntField(options ?? {}) as BigIntField<NullOf<O>, OptionalOf<O>>,
  float: <const O extends FieldOptions<number> = {}>(options?: O) => new FloatField(options ?? {}) as FloatField<NullOf<O>, OptionalOf<O>>,
  decimal: <const O extends DecimalFieldOptions>(options: O) => new DecimalField(options) as DecimalField<NullOf<O>, OptionalOf<O>>,
  boolean: <const O extends FieldOptions<boolean> = {}>(options?: O) => new BooleanField(options ?? {}) as BooleanField<NullOf<O>, OptionalOf<O>>,
  date: <const O extends AutoTimeOptions<string> = {}>(options?: O) => new DateField(options ?? {}) as DateField<NullOf<O>, AutoOptional<O>>,
  datetime: <const O extends AutoTimeOptions<Date> = {}>(options?: O) => new DateTimeField(options ?? {}) as DateTimeField<NullOf<O>, AutoOptional<O>>,
  time: <const O extends FieldOptions<string> = {}>(options?: O) => new TimeField(options ?? {}) as TimeField<NullOf<O>, OptionalOf<O>>,
  json: <T = unknown, const O extends FieldOptions<T> = {}>(options?: O) => new JsonField<T>(options ?? {}) as JsonField<T, NullOf<O>, OptionalOf<O>>,
  enum: <const V extends string, const O extends EnumFieldOptions<V> = {}>(values: readonly V[], options?: O) =>
    new EnumField<V>(values, options ?? {}) as EnumField<V, NullOf<O>, OptionalOf<O>>,
  binary: <const O extends FieldOptions<Buffer> = {}>(options?: O) => new BinaryField(options ?? {}) as BinaryField<NullOf<O>, OptionalOf<O>>,
  /** A many-to-one link: `f.foreignKey(() => Author, { onDelete: 'CASCADE' })`, or by label: `f.foreignKey('blog.Author', ...)` / `'self'`. */
  foreignKey,
  /** A foreign key with a unique constraint. */
  oneToOne,
  /** A many-to-many link through a join table. */
  manyToMany,
};

// Declared as functions with explicit return types: inferring the type of `f` through them would
// go through ModelRegistry, which refers back to the models declared with `f` (a type cycle).
function foreignKey<R extends ModelRef<AnyModel>, const O extends ForeignKeyOptions<PkValue<TargetOf<R>>>>(
  target: R,
  options: O,
): ForeignKey<TargetOf<R>, NullOf<O>, OptionalOf<O>> & { readonly options: O } {
  return new ForeignKey<TargetOf<R>>(target as ModelRef<TargetOf<R>>, options) as ForeignKey<TargetOf<R>, NullOf<O>, OptionalOf<O>> & { readonly options: O };
}

function oneToOne<R extends ModelRef<AnyModel>, const O extends ForeignKeyOptions<PkValue<TargetOf<R>>>>(
  target: R,
  options: O,
): OneToOneField<TargetOf<R>, NullOf<O>, OptionalOf<O>> & { readonly options: O } {
  return new OneToOneField<TargetOf<R>>(target as ModelRef<TargetOf<R>>, options) as OneToOneField<TargetOf<R>, NullOf<O>, OptionalOf<O>> & { readonly options: O };
}

function manyToMany<R extends ModelRef<AnyModel>, const O extends ManyToManyOptions = {}>(
  target: R,
  options?: O,
): ManyToManyField<TargetOf<R>> & { readonly m2m: O; readonly options: O } {
  return new ManyToManyField<TargetOf<R>>(target as ModelRef<TargetOf<R>>, options ?? {}) as ManyToManyField<TargetOf<R>> & { readonly m2m: O; readonly options: O };
}
