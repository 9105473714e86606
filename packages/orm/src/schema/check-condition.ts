import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { ImproperlyConfigured } from '@atrium/core';
import type { AnyField, Dialect } from '../fields/field.js';
import type { AnyModel } from '../model/model.js';
import { didYouMean } from '../naming.js';
import { isQNode, Q_NODE, type WhereInput } from '../query/where-input.js';
import { isExpression, type ExpressionNode } from '../query/expressions.js';

const LOOKUPS = ['exact', 'gt', 'gte', 'lt', 'lte', 'in', 'range', 'isnull'] as const;
type Lookup = (typeof LOOKUPS)[number];
const COMPARE: Record<'exact' | 'gt' | 'gte' | 'lt' | 'lte', string> = { exact: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' };

/**
 * Compile a check constraint's condition — the same form as filter():
 * `{ price: { gte: 0 } }`, `Q.or(...)`, `{ end: { gt: F('start') } }` — into
 * an SQL expression for CREATE TABLE. DDL cannot bind parameters, so values
 * are inlined as literals: only finite numbers, booleans, strings (quoted by
 * Kysely's literal compiler) and dates, after the field's own toDb().
 * @example
 * compileCheck(Product, { price: { gte: '0' } }, 'postgres'); // "price" >= '0'
 */
export function compileCheck(model: AnyModel, condition: WhereInput, dialect: Dialect): Expression<SqlBool> {
  return new CheckCompiler(model, dialect).where(condition);
}

class CheckCompiler {
  constructor(
    readonly model: AnyModel,
    readonly dialect: Dialect,
  ) {}

  where(condition: WhereInput): RawBuilder<SqlBool> {
    if (isQNode(condition)) {
      const parts = condition.children.map((child) => this.where(child as WhereInput));
      if (condition[Q_NODE] === 'not') return sql<SqlBool>`not (${sql.join(parts, sql` and `)})`;
      const op = condition[Q_NODE] === 'or' ? sql` or ` : sql` and `;
      return parts.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`(${sql.join(parts, op)})`;
    }
    const parts: RawBuilder<SqlBool>[] = [];
    for (const [name, value] of Object.entries(condition)) {
      const field = this.field(name);
      parts.push(...this.fieldCondition(field, value));
    }
    if (parts.length === 0) throw new ImproperlyConfigured(`Check constraint on ${this.model.name} has an empty condition.`);
    return parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
  }

  field(name: string): AnyField {
    const field = this.model.meta.fieldMap.get(name);
    if (!field || !field.hasColumn) {
      const names = this.model.meta.columnFields.map((f) => f.name);
      throw new ImproperlyConfigured(`Check constraint on ${this.model.name} names unknown field '${name}'${didYouMean(name, names)}.`);
    }
    return field;
  }

  column(field: AnyField): RawBuilder<unknown> {
    // Decimals are text on SQLite; compare them as numbers.
    if (this.dialect === 'sqlite' && field.kind === 'decimal') return sql`cast(${sql.ref(field.column)} as real)`;
    return sql`${sql.ref(field.column)}`;
  }

  fieldCondition(field: AnyField, value: unknown): RawBuilder<SqlBool>[] {
    const column = this.column(field);
    if (value === null) return [sql<SqlBool>`${column} is null`];
    if (typeof value !== 'object' || value instanceof Date || isExpression(value)) {
      return [sql<SqlBool>`${column} = ${this.operand(field, value)}`];
    }
    const out: RawBuilder<SqlBool>[] = [];
    for (const [lookup, operand] of Object.entries(value as Record<string, unknown>)) {
      if (!(LOOKUPS as readonly string[]).includes(lookup)) {
        throw new ImproperlyConfigured(`Check constraint on ${this.model.name}.${field.name} uses lookup '${lookup}'${didYouMean(lookup, LOOKUPS)}; checks support ${LOOKUPS.join(', ')}.`);
      }
      out.push(this.lookup(field, column, lookup as Lookup, operand));
    }
    return out;
  }

  lookup(field: AnyField, column: RawBuilder<unknown>, lookup: Lookup, operand: unknown): RawBuilder<SqlBool> {
    switch (lookup) {
      case 'isnull':
        return operand ? sql<SqlBool>`${column} is null` : sql<SqlBool>`${column} is not null`;
      case 'in': {
        if (!Array.isArray(operand) || operand.length === 0) throw new ImproperlyConfigured(`Check constraint on ${this.model.name}.${field.name}: 'in' needs a non-empty array.`);
        return sql<SqlBool>`${column} in (${sql.join(operand.map((v) => this.operand(field, v)))})`;
      }
      case 'range': {
        if (!Array.isArray(operand) || operand.length !== 2) throw new ImproperlyConfigured(`Check constraint on ${this.model.name}.${field.name}: 'range' needs [low, high].`);
        return sql<SqlBool>`${column} between ${this.operand(field, operand[0])} and ${this.operand(field, operand[1])}`;
      }
      default:
        if (operand === null) throw new ImproperlyConfigured(`Check constraint on ${this.model.name}.${field.name}: compare with null using { isnull: true }.`);
        return sql<SqlBool>`${column} ${sql.raw(COMPARE[lookup])} ${this.operand(field, operand)}`;
    }
  }

  operand(field: AnyField, value: unknown): RawBuilder<unknown> {
    if (isExpression(value)) return this.expression(value.node);
    return literal(field.toDb(value as never, this.dialect), `${this.model.name}.${field.name}`);
  }

  expression(node: ExpressionNode): RawBuilder<unknown> {
    switch (node.kind) {
      case 'ref':
        return this.column(this.field(node.path));
      case 'value':
        return literal(node.value, this.model.name);
      case 'arith':
        return sql`(${this.expression(node.left)} ${sql.raw(node.op)} ${this.expression(node.right)})`;
      case 'aggregate':
        throw new ImproperlyConfigured(`Check constraint on ${this.model.name} cannot use an aggregate.`);
    }
  }
}

/** An inlined literal; anything but plain scalars is refused (DDL has no parameters). */
function literal(value: unknown, where: string): RawBuilder<unknown> {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ImproperlyConfigured(`Check constraint on ${where}: ${value} cannot be a literal.`);
    return sql.lit(value);
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return sql.lit(value);
  if (value instanceof Date) return sql.lit(value.toISOString());
  if (typeof value === 'string') {
    if (value.includes('\0')) throw new ImproperlyConfigured(`Check constraint on ${where}: string literal contains a NUL byte.`);
    return sql.lit(value);
  }
  throw new ImproperlyConfigured(`Check constraint on ${where}: only numbers, booleans, strings and dates can be inlined, got ${typeof value}.`);
}
