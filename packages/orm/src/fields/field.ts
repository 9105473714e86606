import type { AnyModel } from '../model/model.js';

export type Dialect = 'sqlite' | 'postgres';

export type FieldKind =
  | 'autoField'
  | 'uuid'
  | 'string'
  | 'text'
  | 'integer'
  | 'bigint'
  | 'float'
  | 'decimal'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'time'
  | 'json'
  | 'email'
  | 'url'
  | 'slug'
  | 'enum'
  | 'binary'
  | 'foreignKey'
  | 'oneToOne'
  | 'manyToMany';

/** A validator returns an error message, or nothing when the value is fine. */
// Method syntax makes the parameter bivariant, so a field of a narrower type still fits `AnyField`.
export type FieldValidator<T> = { check(value: T): string | undefined | void }['check'];

export interface FieldOptions<T> {
  /** Column accepts NULL (and the value type includes null). */
  null?: boolean;
  /** A value or a function called per insert (`() => new Date()`). Makes the field optional in create(). */
  default?: T | (() => T);
  unique?: boolean;
  /** Create an index on the column. */
  index?: boolean;
  /** Database column name (default: the field name in snake_case). */
  column?: string;
  /** Allowed values, optionally with labels: `['draft', 'live']` or `[['d', 'Draft'], ['l', 'Live']]`. */
  choices?: ReadonlyArray<T | readonly [T, string]>;
  helpText?: string;
  verboseName?: string;
  /** False hides the field from model forms and the admin (it is still saved). */
  editable?: boolean;
  /** Empty value allowed in forms (Django's blank). Defaults to `null`. */
  blank?: boolean;
  primaryKey?: boolean;
  validators?: ReadonlyArray<FieldValidator<T>>;
}

/**
 * A model field: its TypeScript value type (`T`), whether it is nullable (`N`)
 * and whether create() may omit it (`O`, for defaults and generated values)
 * are carried as phantom types; the runtime half converts values to and from
 * the database and describes the column for the schema editor.
 */
export abstract class Field<T = unknown, N extends boolean = boolean, O extends boolean = boolean> {
  declare readonly '~value': T;
  declare readonly '~null': N;
  declare readonly '~optional': O;

  abstract readonly kind: FieldKind;
  readonly options: FieldOptions<T>;
  /** Field name on the model; set when the model is built. */
  name = '';
  /** Column name; set when the model is built. */
  column = '';
  /** The owning model; set when the model is built. */
  model!: AnyModel;

  constructor(options: FieldOptions<T> = {}) {
    this.options = options;
  }

  get isNullable(): boolean {
    return this.options.null === true;
  }
  get isPrimaryKey(): boolean {
    return this.options.primaryKey === true;
  }
  get isUnique(): boolean {
    return this.options.unique === true || this.isPrimaryKey;
  }
  get isEditable(): boolean {
    return this.options.editable !== false;
  }
  /** True for fields stored in a column of this model's table (not many-to-many). */
  get hasColumn(): boolean {
    return true;
  }
  get isRelation(): boolean {
    return false;
  }
  hasDefault(): boolean {
    return this.options.default !== undefined;
  }
  /** The default for a new row, calling a default function each time. */
  getDefault(): T | undefined {
    const d = this.options.default;
    return typeof d === 'function' ? (d as () => T)() : d;
  }
  /** Value the database generates (auto ids): create() may omit it and it is read back after insert. */
  get isGenerated(): boolean {
    return false;
  }

  /** Allowed raw values of `choices`, or null. */
  choiceValues(): T[] | null {
    const choices = this.options.choices;
    if (!choices) return null;
    return choices.map((c) => (Array.isArray(c) ? (c as readonly [T, string])[0] : (c as T)));
  }

  /** JS value -> driver parameter. */
  toDb(value: T, _dialect: Dialect): unknown {
    return value;
  }
  /** Driver value -> JS value. */
  fromDb(raw: unknown, _dialect: Dialect): T {
    return raw as T;
  }
  /** Column type in DDL for the dialect. */
  abstract dbType(dialect: Dialect): string;

  /**
   * Check a value before it reaches the database; returns messages (empty
   * when valid). Subclasses add type checks; choices and custom validators
   * are checked here.
   */
  validate(value: T | null | undefined): string[] {
    if (value === null || value === undefined) {
      return this.isNullable || this.hasDefault() || this.isGenerated ? [] : ['This field cannot be null.'];
    }
    const errors = this.validateValue(value);
    const allowed = this.choiceValues();
    if (allowed && !allowed.some((c) => c === value)) errors.push(`Value ${JSON.stringify(value)} is not a valid choice.`);
    for (const validator of this.options.validators ?? []) {
      const message = validator(value);
      if (message) errors.push(message);
    }
    return errors;
  }

  /** Type- and range-specific checks of a non-null value. */
  protected validateValue(_value: T): string[] {
    return [];
  }

  get verboseName(): string {
    return this.options.verboseName ?? this.name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  }
}

/** Any field, for constraints in generic positions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyField = Field<any, boolean, boolean>;

/** The value type a field holds in a loaded row. */
export type FieldValue<F> = F extends Field<infer T, infer N, boolean> ? (N extends true ? T | null : T) : never;

/** `true` when `{ null: true }` was passed. */
export type NullOf<O> = O extends { null: true } ? true : false;
/** `true` when a default was passed (or the field is nullable: null is the default). */
export type OptionalOf<O> = O extends { default: unknown } ? true : O extends { null: true } ? true : false;
