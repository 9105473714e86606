import { Field, type Dialect, type FieldOptions } from './field.js';
import { ImproperlyConfigured } from '@atrium/core';
import type { AnyModel, PkValue } from '../model/model.js';
import { getModel } from '../model/model-registry.js';

/** What happens to rows pointing at a deleted row; enforced by the ORM identically on both databases. */
export type OnDelete = 'CASCADE' | 'PROTECT' | 'RESTRICT' | 'SET_NULL' | 'SET_DEFAULT' | 'DO_NOTHING';

export interface ForeignKeyOptions<T> extends FieldOptions<T> {
  onDelete: OnDelete;
  /** Name of the reverse accessor on the target (`author.posts`); default `<model>Set` (`postSet`). '+' disables it. */
  relatedName?: string;
  /** Create a database FOREIGN KEY constraint (default true). */
  dbConstraint?: boolean;
}

/**
 * A model reference: a thunk returning the model (models may be declared in
 * any order), or a label — `'blog.Author'`, or `'self'` for the model itself.
 * Labels break type cycles between models that point at each other (a
 * through model and its owner); they are typed through `ModelRegistry`.
 */
export type ModelRef<M extends AnyModel> = (() => M) | string;

/** Resolve a ModelRef for a field of `owner`. */
export function resolveModelRef<M extends AnyModel>(ref: ModelRef<M>, owner: AnyModel, fieldName: string): M {
  if (typeof ref === 'function') return ref();
  if (ref === 'self') return owner as M;
  const label = ref.includes('.') ? ref : `${owner.meta.appLabel}.${ref}`;
  try {
    return getModel(label) as M;
  } catch (cause) {
    throw new ImproperlyConfigured(`${owner.name}.${fieldName} points at '${ref}', which is not a declared model; declare it (import its models.ts) or fix the label.`, { cause });
  }
}

/**
 * A many-to-one link: column `<name>_id` holding the target's primary key.
 * Rows expose `<name>Id` (the key) and `<name>` (the related object, once loaded).
 */
export class ForeignKey<M extends AnyModel = AnyModel, N extends boolean = boolean, O extends boolean = boolean> extends Field<PkValue<M>, N, O> {
  readonly kind: 'foreignKey' | 'oneToOne' = 'foreignKey';
  readonly #target: ModelRef<M>;
  declare readonly options: ForeignKeyOptions<PkValue<M>>;

  constructor(target: ModelRef<M>, options: ForeignKeyOptions<PkValue<M>>) {
    super(options);
    this.#target = target;
    if (options.onDelete === 'SET_NULL' && !options.null) {
      throw new TypeError("onDelete 'SET_NULL' needs { null: true } on the foreign key");
    }
  }

  /** The target model (resolving the thunk or label). */
  get target(): M {
    return resolveModelRef(this.#target, this.model, this.name);
  }
  get onDelete(): OnDelete {
    return this.options.onDelete;
  }
  override get isRelation(): boolean {
    return true;
  }
  /** The reverse accessor name on the target, or null when disabled with '+'. */
  get relatedName(): string | null {
    const name = this.options.relatedName;
    if (name === '+') return null;
    if (name) return name;
    const own = this.model.meta.modelName;
    return `${own.charAt(0).toLowerCase()}${own.slice(1)}Set`;
  }
  /** Row property that holds the key: `authorId`. */
  get attname(): string {
    return `${this.name}Id`;
  }
  dbType(dialect: Dialect): string {
    const pk = this.target.meta.pk;
    return pk.kind === 'autoField' ? (dialect === 'postgres' ? 'bigint' : 'integer') : pk.dbType(dialect);
  }
  override toDb(value: PkValue<M>, dialect: Dialect): unknown {
    return this.target.meta.pk.toDb(value as never, dialect);
  }
  override fromDb(raw: unknown, dialect: Dialect): PkValue<M> {
    return this.target.meta.pk.fromDb(raw, dialect) as PkValue<M>;
  }
}

/** A foreign key with a unique constraint; the reverse accessor returns one object. */
export class OneToOneField<M extends AnyModel = AnyModel, N extends boolean = boolean, O extends boolean = boolean> extends ForeignKey<M, N, O> {
  override readonly kind = 'oneToOne' as const;
  constructor(target: ModelRef<M>, options: ForeignKeyOptions<PkValue<M>>) {
    super(target, { ...options, unique: true });
  }
  override get relatedName(): string | null {
    const name = this.options.relatedName;
    if (name === '+') return null;
    if (name) return name;
    const own = this.model.meta.modelName;
    return `${own.charAt(0).toLowerCase()}${own.slice(1)}`;
  }
}

export interface ManyToManyOptions {
  /** Reverse accessor on the target (`tag.posts`); default `<model>Set`. */
  relatedName?: string;
  /** An explicit join model with two foreign keys (extra columns allowed). */
  through?: ModelRef<AnyModel>;
  /** Join table name when `through` is not given (default `<table>_<field>`). */
  dbTable?: string;
  blank?: boolean;
  verboseName?: string;
  helpText?: string;
}

/** A many-to-many link through a join table (created automatically unless `through` is given). */
export class ManyToManyField<M extends AnyModel = AnyModel> extends Field<never, false, true> {
  readonly kind = 'manyToMany' as const;
  readonly #target: ModelRef<M>;
  readonly m2m: ManyToManyOptions;

  constructor(target: ModelRef<M>, options: ManyToManyOptions = {}) {
    super({ ...(options.verboseName ? { verboseName: options.verboseName } : {}), ...(options.helpText ? { helpText: options.helpText } : {}), blank: options.blank ?? true });
    this.#target = target;
    this.m2m = options;
  }
  get target(): M {
    return resolveModelRef(this.#target, this.model, this.name);
  }
  override get hasColumn(): boolean {
    return false;
  }
  override get isRelation(): boolean {
    return true;
  }
  override hasDefault(): boolean {
    return true;
  }
  get relatedName(): string | null {
    const name = this.m2m.relatedName;
    if (name === '+') return null;
    if (name) return name;
    const own = this.model.meta.modelName;
    return `${own.charAt(0).toLowerCase()}${own.slice(1)}Set`;
  }
  dbType(): string {
    throw new TypeError(`Many-to-many field ${this.name} has no column; it uses a join table`);
  }
}
