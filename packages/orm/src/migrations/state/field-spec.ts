import type { AnyField, FieldKind, FieldOptions } from '../../fields/field.js';
import { AutoField } from '../../fields/auto-field.js';
import { UuidField } from '../../fields/uuid-field.js';
import { StringField, TextField, EmailField, UrlField, SlugField } from '../../fields/string-fields.js';
import { IntegerField, BigIntField, FloatField, DecimalField } from '../../fields/number-fields.js';
import { BooleanField } from '../../fields/boolean-field.js';
import { DateField, DateTimeField, TimeField } from '../../fields/temporal-fields.js';
import { JsonField } from '../../fields/json-field.js';
import { EnumField } from '../../fields/enum-field.js';
import { BinaryField } from '../../fields/binary-field.js';
import { ForeignKey, OneToOneField, ManyToManyField, resolveModelRef, type OnDelete } from '../../fields/relation-fields.js';
import type { AnyModel } from '../../model/model.js';
import { getModel } from '../../model/model-registry.js';
import { snakeCase } from '../../naming.js';
import { InvalidMigration } from '../errors.js';
import { isSpecValue, valuesEqual, type SpecValue } from './spec-value.js';

/**
 * The options of a field that migrations keep: what reaches the database
 * (type parameters, NULL, unique, index, column) plus what historical models
 * need to behave like the models of that time (literal default, choices,
 * auto times). Labels, help texts, validators, `blank` and `editable` are
 * left out on purpose: changing them never needs a migration.
 */
export interface FieldSpecOptions {
  readonly null?: boolean;
  /** A literal default; function defaults are not kept (they cannot be written into a file). */
  readonly default?: SpecValue;
  readonly unique?: boolean;
  readonly index?: boolean;
  /** Explicit column name (absent: derived from the field name). */
  readonly column?: string;
  readonly choices?: readonly SpecValue[];
  readonly primaryKey?: boolean;
  readonly maxLength?: number;
  readonly maxDigits?: number;
  readonly decimalPlaces?: number;
  readonly autoNow?: boolean;
  readonly autoNowAdd?: boolean;
  /** Foreign keys: `false` when no database constraint is created. */
  readonly dbConstraint?: boolean;
}

/**
 * A field as plain data (the migration state's form of a field): `kind`
 * picks the field class, `options` are normalised (an option equal to the
 * kind's default is left out), relations name their target by label.
 */
export interface FieldSpec {
  readonly kind: FieldKind;
  readonly options: FieldSpecOptions;
  /** Relations: the target model label, 'app.Model'. */
  readonly target?: string;
  /** Foreign keys and one-to-ones. */
  readonly onDelete?: OnDelete;
  /** Relations: explicit reverse accessor name. */
  readonly relatedName?: string;
  /** Many-to-many: label of an explicit join model. */
  readonly through?: string;
  /** Many-to-many: explicit join table name. */
  readonly dbTable?: string;
  /** Enums: the allowed values. */
  readonly values?: readonly string[];
}

const KEPT_OPTIONS = [
  'null',
  'default',
  'unique',
  'index',
  'column',
  'choices',
  'primaryKey',
  'maxLength',
  'maxDigits',
  'decimalPlaces',
  'autoNow',
  'autoNowAdd',
  'dbConstraint',
] as const satisfies ReadonlyArray<keyof FieldSpecOptions>;

const COMMON_DEFAULTS: FieldSpecOptions = { null: false, unique: false, index: false, primaryKey: false, autoNow: false, autoNowAdd: false, dbConstraint: true };

/** Options a field class sets by itself; left out of specs so migrations read like the model declaration. */
const KIND_DEFAULTS: Partial<Record<FieldKind, FieldSpecOptions>> = {
  autoField: { primaryKey: true },
  email: { maxLength: 254 },
  url: { maxLength: 200 },
  slug: { maxLength: 50, index: true },
  oneToOne: { unique: true },
};

/**
 * Deconstruct a model field into its spec.
 * @example
 * fieldToSpec(f.string({ maxLength: 200, null: true })); // { kind: 'string', options: { maxLength: 200, null: true } }
 */
export function fieldToSpec(field: AnyField): FieldSpec {
  const raw = field.options as Record<string, unknown>;
  const options: Record<string, SpecValue> = {};
  for (const key of KEPT_OPTIONS) {
    const value = key === 'maxLength' && field instanceof StringField ? field.maxLength : raw[key];
    if (value === undefined || typeof value === 'function' || !isSpecValue(value)) continue;
    options[key] = value;
  }
  if (field instanceof EnumField) delete options['choices']; // derived from the values
  const spec: { -readonly [K in keyof FieldSpec]: FieldSpec[K] } = { kind: field.kind, options: normaliseOptions(field.kind, options) };
  if (field instanceof EnumField) spec.values = [...field.values];
  if (field instanceof ForeignKey) {
    spec.target = field.target.name;
    spec.onDelete = field.onDelete;
    if (field.options.relatedName !== undefined) spec.relatedName = field.options.relatedName;
  }
  if (field instanceof ManyToManyField) {
    spec.target = field.target.name;
    if (field.m2m.relatedName !== undefined) spec.relatedName = field.m2m.relatedName;
    if (field.m2m.through) spec.through = resolveModelRef(field.m2m.through, field.model, field.name).name;
    if (field.m2m.dbTable !== undefined) spec.dbTable = field.m2m.dbTable;
    spec.options = {};
  }
  return spec;
}

/** Drop options equal to what the kind does anyway, so equal fields have equal specs. */
export function normaliseOptions(kind: FieldKind, options: Readonly<Record<string, unknown>>): FieldSpecOptions {
  const defaults: Record<string, unknown> = { ...COMMON_DEFAULTS, ...KIND_DEFAULTS[kind] };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || (key in defaults && valuesEqual(value, defaults[key]))) continue;
    out[key] = value;
  }
  return out as FieldSpecOptions;
}

/** Finds a model by label when a relation's target is resolved. */
export type ModelResolver = (label: string) => AnyModel;

type Builder = (spec: FieldSpec, options: FieldOptions<never> & Record<string, unknown>, resolve: ModelResolver) => AnyField;

const BUILDERS: Record<FieldKind, Builder> = {
  autoField: (_, o) => new AutoField(o),
  uuid: (_, o) => new UuidField(o),
  string: (spec, o) => new StringField({ ...o, maxLength: requireNumber(spec, 'maxLength') }),
  text: (_, o) => new TextField(o),
  email: (_, o) => new EmailField(o),
  url: (_, o) => new UrlField(o),
  slug: (_, o) => new SlugField(o),
  integer: (_, o) => new IntegerField(o),
  bigint: (_, o) => new BigIntField(o),
  float: (_, o) => new FloatField(o),
  decimal: (spec, o) => new DecimalField({ ...o, maxDigits: requireNumber(spec, 'maxDigits'), decimalPlaces: requireNumber(spec, 'decimalPlaces') }),
  boolean: (_, o) => new BooleanField(o),
  date: (_, o) => new DateField(o),
  datetime: (_, o) => new DateTimeField(o),
  time: (_, o) => new TimeField(o),
  json: (_, o) => new JsonField(o),
  enum: (spec, o) => {
    if (!spec.values || spec.values.length === 0) throw new InvalidMigration(`An enum field spec needs 'values' (the allowed strings).`);
    return new EnumField(spec.values, o);
  },
  binary: (_, o) => new BinaryField(o),
  foreignKey: (spec, o, resolve) => {
    const target = requireTarget(spec);
    return new ForeignKey(() => resolve(target), { ...o, onDelete: requireOnDelete(spec), ...relatedName(spec) });
  },
  oneToOne: (spec, o, resolve) => {
    const target = requireTarget(spec);
    return new OneToOneField(() => resolve(target), { ...o, onDelete: requireOnDelete(spec), ...relatedName(spec) });
  },
  manyToMany: (spec, _, resolve) => {
    const target = requireTarget(spec);
    const through = spec.through;
    return new ManyToManyField(() => resolve(target), {
      ...relatedName(spec),
      ...(through ? { through: () => resolve(through) } : {}),
      ...(spec.dbTable !== undefined ? { dbTable: spec.dbTable } : {}),
    });
  },
};

/**
 * Build a fresh (unattached) field from a spec; relation targets are looked
 * up with `resolve` when first needed (default: the global model registry).
 * @example
 * const field = specToField({ kind: 'string', options: { maxLength: 20 } });
 */
export function specToField(spec: FieldSpec, resolve: ModelResolver = getModel): AnyField {
  const build = BUILDERS[spec.kind];
  if (!build) throw new InvalidMigration(`Unknown field kind '${String(spec.kind)}' in a migration.`);
  const options = { ...spec.options } as FieldOptions<never> & Record<string, unknown>;
  return build(spec, options, resolve);
}

/**
 * Two specs describe the same field.
 * @example
 * specsEqual(fieldToSpec(a), fieldToSpec(b));
 */
export function specsEqual(a: FieldSpec, b: FieldSpec): boolean {
  return valuesEqual(a, b);
}

/** The column a field spec is stored in (`null` for many-to-many). */
export function specColumn(name: string, spec: FieldSpec): string | null {
  if (spec.kind === 'manyToMany') return null;
  if (spec.options.column !== undefined) return spec.options.column;
  const snake = snakeCase(name);
  return spec.kind === 'foreignKey' || spec.kind === 'oneToOne' ? `${snake}_id` : snake;
}

/** True for foreign keys, one-to-ones and many-to-manys. */
export function isRelationSpec(spec: FieldSpec): boolean {
  return spec.kind === 'foreignKey' || spec.kind === 'oneToOne' || spec.kind === 'manyToMany';
}

function requireNumber(spec: FieldSpec, key: 'maxLength' | 'maxDigits' | 'decimalPlaces'): number {
  const value = spec.options[key];
  if (typeof value !== 'number') throw new InvalidMigration(`A ${spec.kind} field spec needs a numeric '${key}' option.`);
  return value;
}

function requireTarget(spec: FieldSpec): string {
  if (typeof spec.target !== 'string' || !spec.target.includes('.')) {
    throw new InvalidMigration(`A ${spec.kind} field spec needs 'target', the related model's label ('app.Model').`);
  }
  return spec.target;
}

function requireOnDelete(spec: FieldSpec): OnDelete {
  if (!spec.onDelete) throw new InvalidMigration(`A ${spec.kind} field spec needs 'onDelete' (CASCADE, PROTECT, RESTRICT, SET_NULL, SET_DEFAULT or DO_NOTHING).`);
  return spec.onDelete;
}

function relatedName(spec: FieldSpec): { relatedName?: string } {
  return spec.relatedName !== undefined ? { relatedName: spec.relatedName } : {};
}
