import type { FieldKind } from '../../fields/field.js';
import type { OnDelete } from '../../fields/relation-fields.js';
import { normaliseOptions, type FieldSpec, type FieldSpecOptions } from './field-spec.js';

type Common = Omit<FieldSpecOptions, 'maxLength' | 'maxDigits' | 'decimalPlaces' | 'autoNow' | 'autoNowAdd' | 'dbConstraint'>;
type WithLength = Common & { readonly maxLength: number };
type AutoTime = Common & { readonly autoNow?: boolean; readonly autoNowAdd?: boolean };
type Decimal = Common & { readonly maxDigits: number; readonly decimalPlaces: number };
type Relation = Common & { readonly onDelete: OnDelete; readonly relatedName?: string; readonly dbConstraint?: boolean };
interface ManyToMany {
  readonly relatedName?: string;
  /** Label of an explicit join model ('blog.Membership'). */
  readonly through?: string;
  readonly dbTable?: string;
}

function spec(kind: FieldKind, options: object = {}): FieldSpec {
  return { kind, options: normaliseOptions(kind, options as Record<string, unknown>) };
}

function relation(kind: 'foreignKey' | 'oneToOne', target: string, options: Relation): FieldSpec {
  const { onDelete, relatedName, ...rest } = options;
  return { ...spec(kind, rest), target, onDelete, ...(relatedName !== undefined ? { relatedName } : {}) };
}

/**
 * Field constructors for migration files: the same names and options as
 * the models' `f`, returning plain field specs; relations name their
 * target by label instead of a thunk, because a migration describes the
 * models of its time, not the current ones.
 * @example
 * ops.addField({ model: 'Post', name: 'author', field: f.foreignKey('auth.User', { onDelete: 'CASCADE' }) });
 */
export const f = {
  auto: (options: Pick<FieldSpecOptions, 'column'> = {}): FieldSpec => spec('autoField', options),
  uuid: (options: Common = {}): FieldSpec => spec('uuid', options),
  string: (options: WithLength): FieldSpec => spec('string', options),
  text: (options: Common = {}): FieldSpec => spec('text', options),
  email: (options: Partial<WithLength> = {}): FieldSpec => spec('email', options),
  url: (options: Partial<WithLength> = {}): FieldSpec => spec('url', options),
  slug: (options: Partial<WithLength> = {}): FieldSpec => spec('slug', options),
  integer: (options: Common = {}): FieldSpec => spec('integer', options),
  bigint: (options: Common = {}): FieldSpec => spec('bigint', options),
  float: (options: Common = {}): FieldSpec => spec('float', options),
  decimal: (options: Decimal): FieldSpec => spec('decimal', options),
  boolean: (options: Common = {}): FieldSpec => spec('boolean', options),
  date: (options: AutoTime = {}): FieldSpec => spec('date', options),
  datetime: (options: AutoTime = {}): FieldSpec => spec('datetime', options),
  time: (options: Common = {}): FieldSpec => spec('time', options),
  json: (options: Common = {}): FieldSpec => spec('json', options),
  enum: (values: readonly string[], options: Common = {}): FieldSpec => ({ ...spec('enum', options), values: [...values] }),
  binary: (options: Common = {}): FieldSpec => spec('binary', options),
  foreignKey: (target: string, options: Relation): FieldSpec => relation('foreignKey', target, options),
  oneToOne: (target: string, options: Relation): FieldSpec => relation('oneToOne', target, options),
  manyToMany: (target: string, options: ManyToMany = {}): FieldSpec => ({
    kind: 'manyToMany',
    options: {},
    target,
    ...(options.relatedName !== undefined ? { relatedName: options.relatedName } : {}),
    ...(options.through !== undefined ? { through: options.through } : {}),
    ...(options.dbTable !== undefined ? { dbTable: options.dbTable } : {}),
  }),
};

/** The name of the `f` constructor for a field kind. */
export const BUILDER_NAME: Record<FieldKind, keyof typeof f> = {
  autoField: 'auto',
  uuid: 'uuid',
  string: 'string',
  text: 'text',
  email: 'email',
  url: 'url',
  slug: 'slug',
  integer: 'integer',
  bigint: 'bigint',
  float: 'float',
  decimal: 'decimal',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  time: 'time',
  json: 'json',
  enum: 'enum',
  binary: 'binary',
  foreignKey: 'foreignKey',
  oneToOne: 'oneToOne',
  manyToMany: 'manyToMany',
};
