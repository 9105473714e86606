import { ImproperlyConfigured } from '@atrium/core';
import type { AnyField } from '../fields/field.js';
import { AutoField } from '../fields/auto-field.js';
import { ForeignKey, ManyToManyField } from '../fields/relation-fields.js';
import { DoesNotExist, MultipleObjectsReturned } from '../errors.js';
import { snakeCase } from '../naming.js';
import type { Constraint, IndexDefinition, ModelMeta } from './model-meta.js';
import type { ColumnFieldName, Fields, InsertData, Instance } from './model-types.js';
import { registerModel } from './model-registry.js';
import { Manager } from '../query/manager.js';
import { createInstancePrototype, buildInstance } from './instance.js';

export type { PkValue } from './model-types.js';

/** Ordering key: a field name, '-name' for descending. */
export type OrderKey<F> = ColumnFieldName<F> | `-${ColumnFieldName<F>}`;

export interface ModelOptions<F extends Fields> {
  /** Table name (default `<app>_<model>` in snake_case, like Django). */
  table?: string;
  /** Default ordering of querysets. */
  ordering?: ReadonlyArray<OrderKey<F> | 'id' | '-id' | 'pk' | '-pk'>;
  /** Sets of fields unique together (each becomes a unique constraint). */
  uniqueTogether?: ReadonlyArray<ReadonlyArray<ColumnFieldName<F>>>;
  constraints?: readonly Constraint[];
  indexes?: ReadonlyArray<{ name?: string; fields: ReadonlyArray<ColumnFieldName<F>>; unique?: boolean }>;
  verboseName?: string;
  verboseNamePlural?: string;
  /** Database alias (default 'default'). */
  database?: string;
  /**
   * Model-wide validation run by fullClean() after field validation: return
   * messages keyed by field name (or '__all__').
   */
  clean?: (instance: Record<string, unknown>) => Record<string, string[]> | void | Promise<Record<string, string[]> | void>;
  /**
   * False keeps the model out of the global registry, so it never replaces
   * the declared model of that label: migrations render historical models
   * (the models as they were at a point of the migration history) this way.
   */
  register?: boolean;
}

/** Adds the implicit `id` auto primary key unless a field is declared with primaryKey. */
export type WithAutoPk<F extends Fields> = true extends { [K in keyof F]: F[K] extends { '~pk': true } ? true : false }[keyof F] ? F : { id: AutoField & { readonly '~pk': true } } & F;

/**
 * A model: the declaration plus everything derived from it. `objects` is the
 * default manager (`Post.objects.filter(...)`).
 */
export interface Model<in out Name extends string = string, in out F extends Fields = Fields> {
  readonly name: Name;
  readonly fields: F;
  readonly meta: ModelMeta;
  readonly options: ModelOptions<F>;
  readonly objects: Manager<Model<Name, F>>;
  /** Thrown by get() when nothing matches; `instanceof DoesNotExist` also holds. */
  readonly DoesNotExist: typeof DoesNotExist;
  readonly MultipleObjectsReturned: typeof MultipleObjectsReturned;
  /** Prototype of instances (holds save(), delete(), relation accessors). */
  readonly prototype: object;
  /** An unsaved instance (like `Post(...)` in Django); call save() to insert it. */
  build(data: InsertData<Model<Name, F>>): Instance<Model<Name, F>>;
  /** Insert a row and return it: shorthand for `objects.create()`. */
  create(data: InsertData<Model<Name, F>>): Promise<Instance<Model<Name, F>>>;
}

/** Any model, for generic positions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModel = Model<any, any>;

/**
 * Declare a model once; row, insert and query types are derived from it.
 * @example
 * export const Post = model('blog.Post', {
 *   title: f.string({ maxLength: 200 }),
 *   author: f.foreignKey(() => Author, { onDelete: 'CASCADE', relatedName: 'posts' }),
 * }, { ordering: ['-id'] });
 * export type Post = Infer<typeof Post>;
 */
export function model<const Name extends `${string}.${string}`, const F extends Fields>(
  name: Name,
  fields: F,
  options: ModelOptions<F> = {},
): Model<Name, WithAutoPk<F>> {
  const [appLabel = '', modelName = ''] = name.split('.');
  // `Post_tags` (an optional `_<field>` suffix) is the name of an auto-created many-to-many join model.
  if (!/^[a-z_][a-z0-9_]*$/.test(appLabel) || !/^[A-Z][A-Za-z0-9]*(?:_[A-Za-z][A-Za-z0-9]*)?$/.test(modelName)) {
    throw new ImproperlyConfigured(`Model name '${name}' must be '<app_label>.<ModelName>', e.g. 'blog.Post'.`);
  }
  const all: Record<string, AnyField> = {};
  const hasPk = Object.values(fields).some((field) => field.isPrimaryKey);
  if (!hasPk) all['id'] = new AutoField();
  Object.assign(all, fields);

  const fieldList: AnyField[] = [];
  const fieldMap = new Map<string, AnyField>();
  for (const [fieldName, field] of Object.entries(all)) {
    if (field.model) throw new ImproperlyConfigured(`Field '${fieldName}' of ${name} is already used by ${field.model.name}; create a new field object per model.`);
    field.name = fieldName;
    field.column = field.options.column ?? (field instanceof ForeignKey ? `${snakeCase(fieldName)}_id` : snakeCase(fieldName));
    fieldList.push(field);
    fieldMap.set(fieldName, field);
    if (field instanceof ForeignKey) fieldMap.set(field.attname, field);
  }
  const pks = fieldList.filter((f) => f.isPrimaryKey);
  if (pks.length !== 1) throw new ImproperlyConfigured(`Model ${name} has ${pks.length} primary keys; declare exactly one field with primaryKey.`);

  const table = options.table ?? `${appLabel}_${snakeCase(modelName)}`;
  const constraints: Constraint[] = [...(options.constraints ?? [])];
  for (const set of options.uniqueTogether ?? []) {
    constraints.push({ kind: 'unique', name: `${table}_${set.map((f) => snakeCase(f)).join('_')}_uniq`, fields: [...set] });
  }
  const indexes: IndexDefinition[] = (options.indexes ?? []).map((index) => ({
    name: index.name ?? `${table}_${index.fields.map((f) => snakeCase(f)).join('_')}_idx`,
    fields: [...index.fields],
    ...(index.unique ? { unique: true } : {}),
  }));

  const verboseName = options.verboseName ?? modelName.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const meta: ModelMeta = {
    appLabel,
    modelName,
    label: name,
    table,
    pk: pks[0]!,
    fields: fieldList,
    columnFields: fieldList.filter((f) => f.hasColumn),
    manyToMany: fieldList.filter((f): f is ManyToManyField => f instanceof ManyToManyField),
    foreignKeys: fieldList.filter((f): f is ForeignKey => f instanceof ForeignKey),
    fieldMap,
    ordering: [...(options.ordering ?? [])],
    constraints,
    indexes,
    verboseName,
    verboseNamePlural: options.verboseNamePlural ?? `${verboseName}s`,
    database: options.database ?? 'default',
    reverseRelations: [],
    autoCreatedFor: null,
  };

  class ModelDoesNotExist extends DoesNotExist {}
  class ModelMultipleObjectsReturned extends MultipleObjectsReturned {}
  Object.defineProperty(ModelDoesNotExist, 'name', { value: `${modelName}.DoesNotExist` });
  Object.defineProperty(ModelMultipleObjectsReturned, 'name', { value: `${modelName}.MultipleObjectsReturned` });

  const created = {
    name,
    fields: all,
    meta,
    options,
    DoesNotExist: ModelDoesNotExist,
    MultipleObjectsReturned: ModelMultipleObjectsReturned,
  } as unknown as { -readonly [K in keyof Model<Name, WithAutoPk<F>>]: Model<Name, WithAutoPk<F>>[K] };
  for (const field of fieldList) field.model = created as unknown as AnyModel;
  created.prototype = createInstancePrototype(created as unknown as AnyModel);
  created.objects = new Manager(created as unknown as Model<Name, WithAutoPk<F>>);
  created.build = (data) => buildInstance(created as unknown as AnyModel, data as Record<string, unknown>) as never;
  created.create = (data) => created.objects.create(data as never);
  if (options.register !== false) registerModel(created as unknown as AnyModel);
  return created as Model<Name, WithAutoPk<F>>;
}
