import { sql } from 'kysely';
import type { AnyField } from '../fields/field.js';
import { ForeignKey, ManyToManyField } from '../fields/relation-fields.js';
import { FieldError, OrmUsageError } from '../errors.js';
import { STATE } from '../model/instance-state.js';
import type { AnyModel } from '../model/model.js';
import { didYouMean } from '../naming.js';
import { describeRelation, type ManyRelation, type ReverseRelation } from '../relations/relation-descriptor.js';
import { and, columnRef, or, param, type Scope, type Sql } from './compile-context.js';
import { compileExpression } from './compile-expression.js';
import { isExpression, type Expression } from './expressions.js';
import { JoinSet } from './joins.js';
import { ParamSlot } from './param-slot.js';
import { JSON_LOOKUPS, LOOKUP_NAMES, LOOKUPS, TEXT_LOOKUPS, type LookupName, type Rhs } from './lookups.js';
import { unknownName } from './resolve-path.js';
import { transform, transformsFor, TRANSFORM_NAMES, type TransformName } from './transforms.js';
import { isQNode, Q_NODE } from './where-input.js';

/**
 * Compile a filter (plain object or Q node, from typed or untrusted input)
 * to a boolean SQL expression. Every value becomes a parameter; names are
 * checked against the model and an unknown one raises FieldError naming the
 * closest valid name.
 */
export function compileWhere(scope: Scope, input: unknown, where: string): Sql {
  if (isQNode(input)) {
    const parts = input.children.map((child) => compileWhere(scope, child, where));
    const op = input[Q_NODE];
    if (op === 'or') return or(parts);
    // `IS NOT TRUE` keeps rows where the condition is unknown because of NULLs (Django's exclude()).
    if (op === 'not') return sql`(${and(parts)}) is not true`;
    return and(parts);
  }
  if (!isPlainObject(input)) {
    throw new OrmUsageError(`${where} takes objects like { title: 'x' } (or Q.and/or/not of them), got ${describe(input)}.`);
  }
  const parts: Sql[] = [];
  for (const key of Object.keys(input)) parts.push(compileEntry(scope, key, input[key], where));
  return and(parts);
}

function compileEntry(scope: Scope, key: string, value: unknown, where: string): Sql {
  const { model } = scope;
  if (value === undefined) {
    // A silently skipped key would widen the query (`filter({ id: params.id })` matching every row).
    throw new OrmUsageError(`${where}: '${key}' on ${model.name} is undefined; pass null to match NULL, or leave the key out.`);
  }
  const annotation = scope.annotations?.get(key);
  if (annotation) return compileAnnotation(scope, key, annotation, value, where);
  if (key === 'pk') return columnCondition(scope, model.meta.pk, scope.alias, value, where);
  const field = model.meta.fieldMap.get(key);
  if (field instanceof ForeignKey && key === field.name) return forwardCondition(scope, field, value, where);
  if (field instanceof ManyToManyField) return manyCondition(scope, key, value, where);
  if (field) return columnCondition(scope, field, scope.alias, value, where);
  if (model.meta.reverseRelations.some((relation) => relation.name === key) || tryReverse(model, key)) return manyCondition(scope, key, value, where);
  throw unknownName(model, key, where);
}

function tryReverse(model: AnyModel, key: string): boolean {
  try {
    return describeRelation(model, key).kind !== 'forward';
  } catch {
    return false;
  }
}

function compileAnnotation(scope: Scope, key: string, annotation: Expression, value: unknown, where: string): Sql {
  const compiled = compileExpression(scope, annotation.node, where);
  return valueCondition(scope, compiled.sql, compiled.field, value, `annotation '${key}'`, where);
}

/** `title: 'x'`, `title: { icontains: 'x' }`, `title: null`, `views: F('likes')`. */
function columnCondition(scope: Scope, field: AnyField, alias: string, value: unknown, where: string): Sql {
  return valueCondition(scope, columnRef(alias, field.column), field, value, `${field.model.name}.${field.name}`, where);
}

function valueCondition(scope: Scope, lhs: Sql, field: AnyField | null, value: unknown, label: string, where: string): Sql {
  const rhs = rhsFor(scope, field, where);
  if (isLookupObject(value)) return lookups(scope, lhs, field, value, label, where);
  if (field?.kind === 'json' && value !== null) {
    throw new OrmUsageError(`${where}: JSON field ${label} is filtered with { isnull } or { hasKey }, not by value (the databases compare JSON documents differently).`);
  }
  return LOOKUPS.exact({ lhs, value, rhs, field, dialect: scope.ctx.dialect, label });
}

function rhsFor(scope: Scope, field: AnyField | null, where: string): Rhs {
  const dialect = scope.ctx.dialect;
  return (value) => (isExpression(value) ? compileExpression(scope, value.node, where).sql : param(field, value, dialect));
}

function lookups(scope: Scope, lhs: Sql, field: AnyField | null, conditions: Record<string, unknown>, label: string, where: string): Sql {
  const dialect = scope.ctx.dialect;
  const parts: Sql[] = [];
  for (const name of Object.keys(conditions)) {
    const value = conditions[name];
    if (value === undefined) throw new OrmUsageError(`${where}: lookup '${name}' on ${label} is undefined; remove it or give a value.`);
    if (TRANSFORM_NAMES.has(name)) {
      if (!field || !transformsFor(field).has(name)) {
        throw new FieldError(`${where}: '${name}' applies to date and datetime fields; ${label} is ${field ? `a ${field.kind} field` : 'not a date'}.`);
      }
      const part = transform(name as TransformName, lhs, field, dialect);
      const partLabel = `${label}.${name}`;
      parts.push(isLookupObject(value) ? lookups(scope, part, null, value, partLabel, where) : LOOKUPS.exact({ lhs: part, value, rhs: rhsFor(scope, null, where), field: null, dialect, label: partLabel }));
      continue;
    }
    if (!(name in LOOKUPS)) {
      const valid = [...LOOKUP_NAMES, ...(field ? transformsFor(field) : [])];
      throw new FieldError(`${where}: unknown lookup '${name}' on ${label}${didYouMean(name, valid) || '.'} Lookups: ${valid.join(', ')}.`);
    }
    if (field?.kind === 'json' ? !JSON_LOOKUPS.has(name) : name === 'hasKey') {
      throw new FieldError(`${where}: lookup '${name}' does not apply to ${label} (${field?.kind ?? 'expression'}); JSON fields take isnull and hasKey only.`);
    }
    if (TEXT_LOOKUPS.has(name) && field && !isTextual(field)) {
      throw new FieldError(`${where}: lookup '${name}' needs a text field; ${label} is a ${field.kind} field.`);
    }
    parts.push(LOOKUPS[name as LookupName]({ lhs, value, rhs: rhsFor(scope, field, where), field, dialect, label }));
  }
  return and(parts);
}

const TEXTUAL = new Set(['string', 'text', 'email', 'url', 'slug', 'enum', 'uuid']);
function isTextual(field: AnyField): boolean {
  return TEXTUAL.has(field.kind);
}

/** `author: { name: 'Ann' }` (join), `author: ann`, `author: 3`, `author: null`. */
function forwardCondition(scope: Scope, field: ForeignKey, value: unknown, where: string): Sql {
  const target = field.target;
  const key = keyValue(value, target, `${field.model.name}.${field.name}`, where);
  if (key !== NOT_A_KEY) return columnCondition(scope, field, scope.alias, key, where);
  const conditions = value as Record<string, unknown>;
  // Only the target's key is tested: compare our column, no join needed.
  const keys = Object.keys(conditions);
  if (keys.length > 0 && keys.every((k) => k === 'pk' || k === target.meta.pk.name)) {
    return and(keys.map((k) => columnCondition(scope, field, scope.alias, conditions[k], where)));
  }
  const alias = scope.joins.forward(scope.alias, field);
  return compileWhere({ ctx: scope.ctx, model: target, alias, joins: scope.joins }, conditions, where);
}

/** `posts: { title: 'x' }` (reverse FK) or `tags: { name: 'orm' }` (many-to-many): EXISTS, so rows never repeat. */
function manyCondition(scope: Scope, name: string, value: unknown, where: string): Sql {
  const relation = describeRelation(scope.model, name) as ReverseRelation | ManyRelation;
  const related = relation.related;
  if (value === null) return sql`not ${exists(scope, relation, null, where)}`;
  const key = keyValue(value, related, `${scope.model.name}.${name}`, where);
  const condition = key !== NOT_A_KEY ? { pk: key } : value;
  return exists(scope, relation, condition, where);
}

function exists(scope: Scope, relation: ReverseRelation | ManyRelation, condition: unknown, where: string): Sql {
  const ctx = scope.ctx;
  const joins = new JoinSet(ctx);
  const ownPk = columnRef(scope.alias, scope.model.meta.pk.column);
  if (relation.kind === 'reverse') {
    const alias = ctx.nextAlias();
    const inner = { ctx, model: relation.related, alias, joins };
    const cond = condition === null ? null : compileWhere(inner, condition, where);
    const link = sql`${columnRef(alias, relation.field.column)} = ${ownPk}`;
    return sql`exists (select 1 from ${sql.table(relation.related.meta.table)} as ${sql.id(alias)}${joins.toSql()} where ${and(cond ? [link, cond] : [link])})`;
  }
  const throughAlias = ctx.nextAlias();
  const link = sql`${columnRef(throughAlias, relation.ownKey.column)} = ${ownPk}`;
  if (condition === null) {
    return sql`exists (select 1 from ${sql.table(relation.link.through.meta.table)} as ${sql.id(throughAlias)} where ${link})`;
  }
  const alias = ctx.nextAlias();
  const related = relation.related;
  const cond = compileWhere({ ctx, model: related, alias, joins }, condition, where);
  const on = sql`${columnRef(alias, related.meta.pk.column)} = ${columnRef(throughAlias, relation.otherKey.column)}`;
  return sql`exists (select 1 from ${sql.table(relation.link.through.meta.table)} as ${sql.id(throughAlias)} inner join ${sql.table(related.meta.table)} as ${sql.id(alias)} on ${on}${joins.toSql()} where ${and([link, cond])})`;
}

const NOT_A_KEY = Symbol('not a key');

/** A relation's value as a key: an instance's pk, a raw key, null; NOT_A_KEY for a nested filter. */
function keyValue(value: unknown, target: AnyModel, label: string, where: string): unknown {
  // A cached compilation's stand-in is always a plain key (instances are never cached).
  if (value instanceof ParamSlot) return value;
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || isExpression(value)) return value;
  if (typeof value === 'object' && STATE in value) {
    if (!target.prototype.isPrototypeOf(value)) throw new OrmUsageError(`${where}: ${label} expects a ${target.name} instance, got ${describe(value)}.`);
    const pk = (value as Record<string, unknown>)[pkAttname(target)];
    if (pk === undefined || pk === null) throw new OrmUsageError(`${where}: the ${target.name} given for ${label} is not saved yet (no primary key).`);
    return pk;
  }
  if (!isPlainObject(value)) throw new OrmUsageError(`${where}: ${label} takes a filter object, a ${target.name} instance or its key; got ${describe(value)}.`);
  return NOT_A_KEY;
}

function pkAttname(model: AnyModel): string {
  const pk = model.meta.pk;
  return pk instanceof ForeignKey ? pk.attname : pk.name;
}

/** A plain `{ ... }` (not a Date, Buffer, array, instance or expression). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isLookupObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && !isQNode(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return `${typeof value} ${JSON.stringify(value)}`;
}
