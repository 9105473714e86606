import type { AnyField } from '../fields/field.js';
import type { ForeignKey, ManyToManyField } from '../fields/relation-fields.js';
import type { AnyModel } from './model.js';
import type { WhereInput } from '../query/where-input.js';

export interface UniqueConstraint {
  kind: 'unique';
  name: string;
  fields: readonly string[];
}

export interface CheckConstraint {
  kind: 'check';
  name: string;
  /** A filter condition every row must satisfy, in the same form as filter(): `{ price: { gte: 0 } }` or a Q node. */
  condition: WhereInput;
}

export type Constraint = UniqueConstraint | CheckConstraint;

export interface IndexDefinition {
  name: string;
  fields: readonly string[];
  unique?: boolean;
}

/** A relation pointing at this model from another (filled when models are registered). */
export interface ReverseRelation {
  /** Accessor name on this model (`posts`). */
  name: string;
  /** The model holding the relation (`Post`). */
  model: AnyModel;
  /** The field on that model (`author`). */
  field: ForeignKey | ManyToManyField;
}

/** Everything derived from a model declaration, resolved once. */
export interface ModelMeta {
  /** 'blog' of 'blog.Post'. */
  readonly appLabel: string;
  /** 'Post' of 'blog.Post'. */
  readonly modelName: string;
  /** 'blog.Post'. */
  readonly label: string;
  readonly table: string;
  readonly pk: AnyField;
  /** All fields in declaration order (the auto primary key first). */
  readonly fields: readonly AnyField[];
  /** Fields with a column in this table. */
  readonly columnFields: readonly AnyField[];
  readonly manyToMany: readonly ManyToManyField[];
  readonly foreignKeys: readonly ForeignKey[];
  /** Field by name; foreign keys are also found by `<name>Id`. */
  readonly fieldMap: ReadonlyMap<string, AnyField>;
  readonly ordering: readonly string[];
  readonly constraints: readonly Constraint[];
  readonly indexes: readonly IndexDefinition[];
  readonly verboseName: string;
  readonly verboseNamePlural: string;
  /** Database alias this model lives in (default 'default'). */
  readonly database: string;
  /** Relations from other models to this one; filled lazily by the registry. */
  readonly reverseRelations: ReverseRelation[];
  /** Set for a join model created automatically for a many-to-many field. */
  readonly autoCreatedFor: ManyToManyField | null;
}
