import type { AnyField } from '../fields/field.js';
import type { Constraint, IndexDefinition } from '../model/model-meta.js';
import { snakeCase } from '../naming.js';
import { Expression, isExpression, type ExpressionNode } from '../query/expressions.js';
import { isQNode, Q_NODE, type WhereInput } from '../query/where-input.js';
import type { ShapeParts } from './table-shape.js';

/**
 * Edits of a model's table parts, to build the shape on the other side of a
 * change from the model of one side (the schema editor accepts either).
 */

/** `field` added, or put in place of the field with its name. */
export function withField(parts: ShapeParts, field: AnyField): ShapeParts {
  if (!field.hasColumn) return parts;
  const at = parts.fields.findIndex((f) => f.name === field.name);
  const fields = at < 0 ? [...parts.fields, field] : parts.fields.map((f, i) => (i === at ? field : f));
  return { ...parts, fields };
}

/** The parts without a field, and without unique constraints and indexes naming it (they cannot outlive it). */
export function withoutField(parts: ShapeParts, name: string): ShapeParts {
  const mentions = (names: readonly string[]): boolean => names.includes(name);
  return {
    ...parts,
    fields: parts.fields.filter((f) => f.name !== name),
    constraints: parts.constraints.filter((c) => c.kind !== 'unique' || !mentions(c.fields)),
    indexes: parts.indexes.filter((i) => !mentions(i.fields)),
  };
}

/** `field` in place of the field named `name` (or of the field with its own name); appended when neither is there. */
export function replaceField(parts: ShapeParts, name: string, field: AnyField): ShapeParts {
  const at = parts.fields.findIndex((f) => f.name === name || f.name === field.name);
  if (at < 0) return { ...parts, fields: [...parts.fields, field] };
  return { ...parts, fields: parts.fields.map((f, i) => (i === at ? field : f)) };
}

/** `<table>_<fields>_uniq`: the name model() gives a unique-together constraint. */
function uniqueTogetherName(table: string, fields: readonly string[]): string {
  return `${table}_${fields.map((f) => snakeCase(f)).join('_')}_uniq`;
}

/** `<table>_<fields>_idx`: the name model() gives an unnamed index. */
export function derivedIndexName(table: string, fields: readonly string[]): string {
  return `${table}_${fields.map((f) => snakeCase(f)).join('_')}_idx`;
}

/**
 * The parts as they are under another table name and/or with fields
 * renamed (`renames`: current field name -> other field name): field
 * references in constraints and indexes follow, and so do names that
 * model() derived from the table and field names (a name equal to the
 * derivation); explicit names stay.
 */
export function rederive(parts: ShapeParts, table: string, renames: ReadonlyMap<string, string> = new Map()): ShapeParts {
  const mapName = (name: string): string => renames.get(name) ?? name;
  const constraints: Constraint[] = parts.constraints.map((c) => {
    if (c.kind === 'check') return renames.size === 0 ? c : { ...c, condition: renameConditionFields(c.condition, mapName) };
    const fields = c.fields.map(mapName);
    const name = c.name === uniqueTogetherName(parts.table, c.fields) ? uniqueTogetherName(table, fields) : c.name;
    return { ...c, name, fields };
  });
  const indexes: IndexDefinition[] = parts.indexes.map((i) => {
    const fields = i.fields.map(mapName);
    const name = i.name === derivedIndexName(parts.table, i.fields) ? derivedIndexName(table, fields) : i.name;
    return { ...i, name, fields };
  });
  return { ...parts, table, constraints, indexes };
}

/** A check condition with its field names passed through `mapName` (keys, Q children, F() references). */
function renameConditionFields(condition: WhereInput, mapName: (name: string) => string): WhereInput {
  if (isQNode(condition)) {
    return { [Q_NODE]: condition[Q_NODE], children: condition.children.map((child) => renameConditionFields(child as WhereInput, mapName)) } as WhereInput;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(condition)) out[mapName(key)] = renameOperand(value, mapName);
  return out;
}

function renameOperand(value: unknown, mapName: (name: string) => string): unknown {
  if (isExpression(value)) return new Expression(renameNode(value.node, mapName));
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([lookup, operand]) => [lookup, renameOperand(operand, mapName)]));
  }
  return value;
}

function renameNode(node: ExpressionNode, mapName: (name: string) => string): ExpressionNode {
  switch (node.kind) {
    case 'ref':
      return { kind: 'ref', path: mapName(node.path) };
    case 'arith':
      return { ...node, left: renameNode(node.left, mapName), right: renameNode(node.right, mapName) };
    default:
      return node;
  }
}
