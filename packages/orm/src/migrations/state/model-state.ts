import type { AnyModel } from '../../model/model.js';
import type { Constraint, IndexDefinition } from '../../model/model-meta.js';
import { snakeCase } from '../../naming.js';
import { MigrationStateError } from '../errors.js';
import { fieldToSpec, type FieldSpec } from './field-spec.js';

/** Model options kept by migrations (empty ones are left out). */
export interface ModelStateOptions {
  /** Explicit table name; absent means `<app>_<model>` (and a model rename renames the table). */
  readonly table?: string;
  readonly ordering?: readonly string[];
  /** Unique (uniqueTogether included, under their generated names) and check constraints. */
  readonly constraints?: readonly Constraint[];
  /** Indexes, always named. */
  readonly indexes?: readonly IndexDefinition[];
  readonly verboseName?: string;
  readonly verboseNamePlural?: string;
  /** Database alias when not 'default'. */
  readonly database?: string;
}

/**
 * A model as plain data at one point of the migration history. Immutable:
 * operations replace a ModelState instead of changing it, so cloning a
 * ProjectState is a shallow copy.
 */
export interface ModelState {
  readonly appLabel: string;
  /** 'Post' (the model name without the app). */
  readonly name: string;
  /** The table (explicit, or derived from app and name). */
  readonly table: string;
  /** Fields in declaration order, the primary key included. */
  readonly fields: ReadonlyArray<readonly [string, FieldSpec]>;
  readonly options: ModelStateOptions;
}

export interface ModelStateInput {
  appLabel: string;
  name: string;
  fields: ReadonlyArray<readonly [string, FieldSpec]>;
  options?: ModelStateOptions;
}

/**
 * A ModelState with its table resolved and empty options dropped; checks
 * that field names are unique.
 * @example
 * modelState({ appLabel: 'blog', name: 'Post', fields: [['id', { kind: 'autoField', options: {} }]] }).table; // 'blog_post'
 */
export function modelState(input: ModelStateInput): ModelState {
  const seen = new Set<string>();
  for (const [name] of input.fields) {
    if (seen.has(name)) throw new MigrationStateError(`Model ${input.appLabel}.${input.name} has two fields named '${name}' in its migration state.`);
    seen.add(name);
  }
  const options = cleanOptions(input.options ?? {});
  return {
    appLabel: input.appLabel,
    name: input.name,
    table: options.table ?? defaultTable(input.appLabel, input.name),
    fields: input.fields.map(([name, spec]) => [name, spec] as const),
    options,
  };
}

/** `<app>_<model>` in snake_case, as model() derives it. */
export function defaultTable(appLabel: string, name: string): string {
  return `${appLabel}_${snakeCase(name)}`;
}

/** The state's key of a model: 'blog.post' (labels are case-insensitive in the state). */
export function modelKey(appLabel: string, name: string): string {
  return `${appLabel}.${name}`.toLowerCase();
}

/**
 * The migration state of a declared model.
 * @example
 * modelStateFromModel(Post).fields.map(([name]) => name); // ['id', 'title', ...]
 */
export function modelStateFromModel(model: AnyModel): ModelState {
  const meta = model.meta;
  const options = model.options as { table?: string; verboseName?: string; verboseNamePlural?: string };
  return modelState({
    appLabel: meta.appLabel,
    name: meta.modelName,
    fields: meta.fields.map((field) => [field.name, fieldToSpec(field)] as const),
    options: {
      ...(options.table !== undefined ? { table: options.table } : {}),
      ordering: [...meta.ordering],
      constraints: meta.constraints.map(copyConstraint),
      indexes: meta.indexes.map((index) => ({ name: index.name, fields: [...index.fields], ...(index.unique ? { unique: true } : {}) })),
      ...(options.verboseName !== undefined ? { verboseName: options.verboseName } : {}),
      ...(options.verboseNamePlural !== undefined ? { verboseNamePlural: options.verboseNamePlural } : {}),
      ...(meta.database !== 'default' ? { database: meta.database } : {}),
    },
  });
}

/** The spec of field `name`, or a MigrationStateError naming the model and its fields. */
export function stateField(model: ModelState, name: string, what: string): FieldSpec {
  const found = model.fields.find(([fieldName]) => fieldName === name);
  if (!found) {
    throw new MigrationStateError(
      `${what}: ${model.appLabel}.${model.name} has no field '${name}' at this point of its migrations (fields: ${model.fields.map(([n]) => n).join(', ')}).`,
    );
  }
  return found[1];
}

/** True when the model state has field `name`. */
export function hasStateField(model: ModelState, name: string): boolean {
  return model.fields.some(([fieldName]) => fieldName === name);
}

/** A copy of `model` with some parts replaced (the table is re-derived unless explicit). */
export function replaceModelState(model: ModelState, changes: Partial<ModelStateInput>): ModelState {
  return modelState({
    appLabel: changes.appLabel ?? model.appLabel,
    name: changes.name ?? model.name,
    fields: changes.fields ?? model.fields,
    options: changes.options ?? model.options,
  });
}

function cleanOptions(options: ModelStateOptions): ModelStateOptions {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    if (key === 'database' && value === 'default') continue;
    out[key] = value;
  }
  return out as ModelStateOptions;
}

function copyConstraint(constraint: Constraint): Constraint {
  return constraint.kind === 'unique' ? { kind: 'unique', name: constraint.name, fields: [...constraint.fields] } : { ...constraint };
}
