import type { Constraint, IndexDefinition } from '../../model/model-meta.js';
import { Expression, type ExpressionNode } from '../../query/expressions.js';
import { isQNode, Q_NODE } from '../../query/where-input.js';
import { MigrationStateError } from '../errors.js';
import type { FieldSpec } from '../state/field-spec.js';
import { defaultTable, type ModelStateOptions } from '../state/model-state.js';
import { snakeCase } from '../../naming.js';

/** Model options AlterModelOptions sets (the others have operations of their own). */
export const ALTERABLE_OPTIONS = ['ordering', 'verboseName', 'verboseNamePlural', 'database'] as const;
export type AlterableOptions = Pick<ModelStateOptions, (typeof ALTERABLE_OPTIONS)[number]>;

/**
 * A change to one model's definition, as data: what a model-level
 * operation does to the state, and what the optimizer folds into a
 * CreateModel. One function applies it, so both always agree.
 */
export type ModelChange =
  | { readonly kind: 'addField'; readonly model: string; readonly name: string; readonly field: FieldSpec }
  | { readonly kind: 'removeField'; readonly model: string; readonly name: string }
  | { readonly kind: 'alterField'; readonly model: string; readonly name: string; readonly field: FieldSpec }
  | { readonly kind: 'renameField'; readonly model: string; readonly oldName: string; readonly newName: string }
  | { readonly kind: 'renameModel'; readonly model: string; readonly newName: string }
  | { readonly kind: 'addIndex'; readonly model: string; readonly index: IndexDefinition }
  | { readonly kind: 'removeIndex'; readonly model: string; readonly name: string }
  | { readonly kind: 'addConstraint'; readonly model: string; readonly constraint: Constraint }
  | { readonly kind: 'removeConstraint'; readonly model: string; readonly name: string }
  | { readonly kind: 'alterOptions'; readonly model: string; readonly options: AlterableOptions }
  | { readonly kind: 'alterTable'; readonly model: string; readonly table: string | null };

/** A model definition: what CreateModel holds and ModelState extends. */
export interface ModelDefinition {
  readonly name: string;
  readonly fields: ReadonlyArray<readonly [string, FieldSpec]>;
  readonly options: ModelStateOptions;
}

/**
 * Apply `change` to a model definition (returns a new one). Errors name the
 * model and what is missing, since they mean a migration is inconsistent.
 * @example
 * applyToModel(post, { kind: 'renameField', model: 'Post', oldName: 'titel', newName: 'title' });
 */
export function applyToModel(definition: ModelDefinition, change: ModelChange, appLabel: string): ModelDefinition {
  const { name, fields, options } = definition;
  const where = `${change.kind} on ${name}`;
  switch (change.kind) {
    case 'addField':
      if (fields.some(([n]) => n === change.name)) throw new MigrationStateError(`${where}: field '${change.name}' already exists.`);
      return { name, options, fields: [...fields, [change.name, change.field]] };
    case 'removeField': {
      requireField(definition, change.name, where);
      // Dropping a column drops the indexes and unique constraints on it, in the database and here.
      const mentions = (names: readonly string[]): boolean => names.includes(change.name);
      const kept: Record<string, unknown> = { ...options };
      if (options.indexes) kept['indexes'] = options.indexes.filter((index) => !mentions(index.fields));
      if (options.constraints) kept['constraints'] = options.constraints.filter((c) => c.kind !== 'unique' || !mentions(c.fields));
      return { name, options: kept as ModelStateOptions, fields: fields.filter(([n]) => n !== change.name) };
    }
    case 'alterField':
      requireField(definition, change.name, where);
      return { name, options, fields: fields.map(([n, spec]) => [n, n === change.name ? change.field : spec] as const) };
    case 'renameField': {
      requireField(definition, change.oldName, where);
      if (fields.some(([n]) => n === change.newName)) throw new MigrationStateError(`${where}: field '${change.newName}' already exists.`);
      const table = tableOf(appLabel, definition);
      return {
        name,
        fields: fields.map(([n, spec]) => [n === change.oldName ? change.newName : n, spec] as const),
        options: renameInOptions(rederiveNames(options, table, table, new Map([[change.oldName, change.newName]])), change.oldName, change.newName),
      };
    }
    case 'renameModel': {
      const renamed = { name: change.newName, fields, options };
      return { ...renamed, options: rederiveNames(options, tableOf(appLabel, definition), tableOf(appLabel, renamed), new Map()) };
    }
    case 'addIndex':
      if ((options.indexes ?? []).some((index) => index.name === change.index.name)) throw new MigrationStateError(`${where}: an index named '${change.index.name}' already exists.`);
      return { name, fields, options: { ...options, indexes: [...(options.indexes ?? []), change.index] } };
    case 'removeIndex':
      requireNamed(options.indexes ?? [], change.name, `${where}: no index named`);
      return { name, fields, options: { ...options, indexes: (options.indexes ?? []).filter((index) => index.name !== change.name) } };
    case 'addConstraint':
      if ((options.constraints ?? []).some((c) => c.name === change.constraint.name)) throw new MigrationStateError(`${where}: a constraint named '${change.constraint.name}' already exists.`);
      return { name, fields, options: { ...options, constraints: [...(options.constraints ?? []), change.constraint] } };
    case 'removeConstraint':
      requireNamed(options.constraints ?? [], change.name, `${where}: no constraint named`);
      return { name, fields, options: { ...options, constraints: (options.constraints ?? []).filter((c) => c.name !== change.name) } };
    case 'alterOptions': {
      const next: Record<string, unknown> = { ...options };
      for (const key of ALTERABLE_OPTIONS) {
        if (change.options[key] === undefined) delete next[key];
        else next[key] = change.options[key];
      }
      return { name, fields, options: next as ModelStateOptions };
    }
    case 'alterTable': {
      const next: Record<string, unknown> = { ...options };
      if (change.table === null) delete next['table'];
      else next['table'] = change.table;
      const after = { name, fields, options: next as ModelStateOptions };
      return { ...after, options: rederiveNames(after.options, tableOf(appLabel, definition), tableOf(appLabel, after), new Map()) };
    }
  }
}

/** The model options AlterModelOptions manages, picked from full options. */
export function alterableOptions(options: ModelStateOptions): AlterableOptions {
  const out: Record<string, unknown> = {};
  for (const key of ALTERABLE_OPTIONS) if (options[key] !== undefined) out[key] = options[key];
  return out as AlterableOptions;
}

function requireField(definition: ModelDefinition, field: string, where: string): void {
  if (!definition.fields.some(([n]) => n === field)) {
    throw new MigrationStateError(`${where}: no field '${field}' (fields: ${definition.fields.map(([n]) => n).join(', ')}).`);
  }
}

function requireNamed(items: ReadonlyArray<{ readonly name: string }>, name: string, message: string): void {
  if (!items.some((item) => item.name === name)) throw new MigrationStateError(`${message} '${name}' (has: ${items.map((i) => i.name).join(', ') || 'none'}).`);
}

/** The table of a model definition (explicit, or derived from app and name). */
export function tableOf(appLabel: string, definition: ModelDefinition): string {
  return definition.options.table ?? defaultTable(appLabel, definition.name);
}

/** `<table>_<fields>_idx` and `<table>_<fields>_uniq`: the names model() gives unnamed indexes and uniqueTogether sets. */
function derivedName(table: string, fields: readonly string[], suffix: 'idx' | 'uniq'): string {
  return `${table}_${fields.map((field) => snakeCase(field)).join('_')}_${suffix}`;
}

/**
 * Index and unique-together names that model() derived from the table and
 * field names follow a table or field rename (explicit names stay), as the
 * schema editor renames them in the database. `renames` maps old to new
 * field names; `options` still names the old fields.
 */
function rederiveNames(options: ModelStateOptions, oldTable: string, newTable: string, renames: ReadonlyMap<string, string>): ModelStateOptions {
  const rename = (field: string): string => renames.get(field) ?? field;
  const follow = (name: string, oldFields: readonly string[], suffix: 'idx' | 'uniq'): string =>
    name === derivedName(oldTable, oldFields, suffix) ? derivedName(newTable, oldFields.map(rename), suffix) : name;
  const out: Record<string, unknown> = { ...options };
  if (options.indexes) out['indexes'] = options.indexes.map((index) => ({ ...index, name: follow(index.name, index.fields, 'idx') }));
  if (options.constraints) out['constraints'] = options.constraints.map((c) => (c.kind === 'unique' ? { ...c, name: follow(c.name, c.fields, 'uniq') } : c));
  return out as ModelStateOptions;
}

/** A field rename carried into indexes, constraints and ordering, which name fields. */
function renameInOptions(options: ModelStateOptions, from: string, to: string): ModelStateOptions {
  const rename = (name: string): string => (name === from ? to : name);
  const out: Record<string, unknown> = { ...options };
  if (options.indexes) out['indexes'] = options.indexes.map((index) => ({ ...index, fields: index.fields.map(rename) }));
  if (options.constraints) {
    out['constraints'] = options.constraints.map((c) =>
      c.kind === 'unique' ? { ...c, fields: c.fields.map(rename) } : { ...c, condition: renameInCondition(c.condition, from, to) as typeof c.condition },
    );
  }
  if (options.ordering) out['ordering'] = options.ordering.map((key) => (key.startsWith('-') ? `-${rename(key.slice(1))}` : rename(key)));
  return out as ModelStateOptions;
}

/** A check condition with field `from` renamed: keys of filter objects, and F() references in values. */
function renameInCondition(condition: unknown, from: string, to: string): unknown {
  if (isQNode(condition)) return { [Q_NODE]: condition[Q_NODE], children: condition.children.map((child) => renameInCondition(child, from, to)) };
  if (condition === null || typeof condition !== 'object') return condition;
  return Object.fromEntries(Object.entries(condition).map(([key, value]) => [key === from ? to : key, renameInValue(value, from, to)]));
}

/** Lookup values keep their keys (`{ gte: F('start') }`); only F() paths change. */
function renameInValue(value: unknown, from: string, to: string): unknown {
  if (value instanceof Expression) return new Expression(renameInNode(value.node, from, to));
  if (Array.isArray(value)) return value.map((item) => renameInValue(item, from, to));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, renameInValue(v, from, to)]));
  }
  return value;
}

function renameInNode(node: ExpressionNode, from: string, to: string): ExpressionNode {
  switch (node.kind) {
    case 'ref':
      return node.path === from ? { kind: 'ref', path: to } : node;
    case 'arith':
      return { ...node, left: renameInNode(node.left, from, to), right: renameInNode(node.right, from, to) };
    default:
      return node;
  }
}
