import { sql } from 'kysely';
import type { AnyField, Dialect } from '../fields/field.js';
import { normaliseDecimal, type DecimalField } from '../fields/number-fields.js';
import { FieldError } from '../errors.js';
import { columnRef, type Scope, type Sql } from './compile-context.js';
import type { ExpressionNode } from './expressions.js';
import { compileWhere } from './compile-where.js';
import { resolveColumnPath } from './resolve-path.js';

/** A compiled expression and how to turn the driver's value into the JS result. */
export interface CompiledExpression {
  readonly sql: Sql;
  /** The field whose type the result has (refs, min/max), or null. */
  readonly field: AnyField | null;
  readonly convert: (raw: unknown) => unknown;
}

const identity = (raw: unknown): unknown => raw;
const toNumber = (raw: unknown): unknown => (raw === null || raw === undefined ? null : Number(raw));
const toCount = (raw: unknown): unknown => (raw === null || raw === undefined ? 0 : Number(raw));

/** Decimal columns on SQLite are text: aggregate them as integers scaled by 10^places, exactly. */
function scaledDecimal(ref: Sql, field: DecimalField): Sql {
  return sql`cast(round(cast(${ref} as real) * ${sql.raw(String(10 ** field.decimalPlaces))}) as integer)`;
}

/** 1234 scaled by 2 places -> '12.34'. */
export function formatScaled(raw: unknown, places: number): string {
  const value = typeof raw === 'bigint' ? raw : BigInt(Math.round(Number(raw)));
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(places + 1, '0');
  const out = places > 0 ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
  return negative ? `-${out}` : out;
}

function fieldConverter(field: AnyField, dialect: Dialect): (raw: unknown) => unknown {
  return (raw) => (raw === null || raw === undefined ? null : field.fromDb(raw, dialect));
}

/**
 * Compile an expression node against a scope. Column paths add the joins
 * they need; aggregates may cross many-valued relations (LEFT joins that
 * multiply rows, as SQL aggregates over a relation do).
 */
export function compileExpression(scope: Scope, node: ExpressionNode, where: string): CompiledExpression {
  const dialect = scope.ctx.dialect;
  switch (node.kind) {
    case 'ref': {
      const annotation = scope.annotations?.get(node.path);
      if (annotation) return compileExpression(scope, annotation.node, where);
      const column = resolveColumnPath(scope, node.path, where);
      return { sql: columnRef(column.alias, column.field.column), field: column.field, convert: fieldConverter(column.field, dialect) };
    }
    case 'value': {
      const value = node.value;
      // PostgreSQL types a bare parameter from the other operand: keep fractions fractional.
      const compiled = dialect === 'postgres' && typeof value === 'number' && !Number.isInteger(value) ? sql`cast(${value} as double precision)` : sql`${value}`;
      return { sql: compiled, field: null, convert: identity };
    }
    case 'arith': {
      const left = compileExpression(scope, node.left, where);
      const right = compileExpression(scope, node.right, where);
      const lhs = left.field?.kind === 'decimal' && dialect === 'sqlite' ? sql`cast(${left.sql} as real)` : left.sql;
      return { sql: sql`(${lhs} ${sql.raw(node.op)} ${right.sql})`, field: null, convert: toNumber };
    }
    case 'aggregate':
      return compileAggregate(scope, node, where);
  }
}

function compileAggregate(scope: Scope, node: Extract<ExpressionNode, { kind: 'aggregate' }>, where: string): CompiledExpression {
  const dialect = scope.ctx.dialect;
  const label = `${node.fn === 'count' ? 'Count' : node.fn.charAt(0).toUpperCase() + node.fn.slice(1)}(${node.path === null ? '' : `'${node.path}'`})`;
  let argument: Sql;
  let field: AnyField | null = null;
  let holder: Scope = scope;
  if (node.path === null) {
    if (node.fn !== 'count') throw new FieldError(`${label} needs a field path.`);
    argument = sql`*`;
  } else {
    const column = resolveColumnPath(scope, node.path, `${label} in ${where}`, true);
    field = column.field;
    holder = { ctx: scope.ctx, model: column.model, alias: column.alias, joins: scope.joins };
    const ref = columnRef(column.alias, field.column);
    argument = field.kind === 'decimal' && dialect === 'sqlite' && node.fn !== 'count' ? (node.fn === 'avg' ? sql`cast(${ref} as real)` : scaledDecimal(ref, field as DecimalField)) : ref;
    if ((node.fn === 'sum' || node.fn === 'avg') && !NUMERIC_KINDS.has(field.kind)) {
      throw new FieldError(`${label} in ${where}: ${column.model.name}.${field.name} is a ${field.kind} field; sum and average need a number field.`);
    }
  }
  const distinct = node.distinct ? sql`distinct ` : sql``;
  let compiled = sql`${sql.raw(node.fn)}(${distinct}${argument})`;
  if (node.filter) compiled = sql`${compiled} filter (where ${compileWhere(holder, node.filter, `the filter of ${label}`)})`;
  return { sql: compiled, field: node.fn === 'min' || node.fn === 'max' ? field : null, convert: aggregateConverter(node.fn, field, dialect) };
}

const NUMERIC_KINDS = new Set(['autoField', 'integer', 'bigint', 'float', 'decimal', 'foreignKey', 'oneToOne']);

function aggregateConverter(fn: string, field: AnyField | null, dialect: Dialect): (raw: unknown) => unknown {
  if (fn === 'count') return toCount;
  if (fn === 'avg' || !field) return toNumber;
  if (field.kind === 'decimal') {
    const places = (field as DecimalField).decimalPlaces;
    return dialect === 'sqlite'
      ? (raw) => (raw === null || raw === undefined ? null : formatScaled(raw, places))
      : (raw) => (raw === null || raw === undefined ? null : normaliseDecimal(String(raw), places));
  }
  if (fn === 'sum') {
    if (field.kind === 'bigint') return (raw) => (raw === null || raw === undefined ? null : BigInt(raw as string | number | bigint));
    return toNumber;
  }
  return fieldConverter(field, dialect);
}
