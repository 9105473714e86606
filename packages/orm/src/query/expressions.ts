import type { WhereInput } from './where-input.js';

/** What an expression computes; decides the TypeScript type of its result. */
export type ExpressionKind = 'ref' | 'arith' | 'count' | 'sum' | 'avg' | 'min' | 'max';
export type AggregateFunction = 'count' | 'sum' | 'avg' | 'min' | 'max';
export type ArithmeticOperator = '+' | '-' | '*' | '/';

/** The intermediate form of an expression, compiled per dialect by compile-expression.ts. */
export type ExpressionNode =
  | { readonly kind: 'ref'; readonly path: string }
  | { readonly kind: 'value'; readonly value: number | bigint | string }
  | { readonly kind: 'arith'; readonly op: ArithmeticOperator; readonly left: ExpressionNode; readonly right: ExpressionNode }
  | {
      readonly kind: 'aggregate';
      readonly fn: AggregateFunction;
      /** Field path, or null for `count(*)`. */
      readonly path: string | null;
      readonly distinct: boolean;
      /** Condition on the aggregated rows, relative to the model that holds the aggregated column. */
      readonly filter: WhereInput | null;
    };

/** A number or another expression: the right-hand side of arithmetic. */
export type Operand = number | bigint | Expression<string, ExpressionKind>;
type RefsOf<O> = O extends Expression<infer P, ExpressionKind> ? P : never;

/**
 * A column expression usable in filters, updates, orderings and
 * annotations. `P` is the union of field paths it reads (checked against the
 * model where it is used) and `K` decides its result type.
 */
export class Expression<P extends string = string, K extends ExpressionKind = ExpressionKind> {
  declare readonly '~refs': P;
  declare readonly '~kind': K;
  readonly node: ExpressionNode;

  constructor(node: ExpressionNode) {
    this.node = node;
  }

  /** `F('views').add(1)` */
  add<O extends Operand>(operand: O): Expression<P | RefsOf<O>, 'arith'> {
    return this.#arith('+', operand);
  }
  sub<O extends Operand>(operand: O): Expression<P | RefsOf<O>, 'arith'> {
    return this.#arith('-', operand);
  }
  mul<O extends Operand>(operand: O): Expression<P | RefsOf<O>, 'arith'> {
    return this.#arith('*', operand);
  }
  div<O extends Operand>(operand: O): Expression<P | RefsOf<O>, 'arith'> {
    return this.#arith('/', operand);
  }

  #arith<O extends Operand>(op: ArithmeticOperator, operand: O): Expression<P | RefsOf<O>, 'arith'> {
    return new Expression({ kind: 'arith', op, left: this.node, right: operandNode(operand) });
  }
}

function operandNode(operand: Operand): ExpressionNode {
  if (operand instanceof Expression) return operand.node;
  if (typeof operand === 'number' && !Number.isFinite(operand)) throw new TypeError(`Arithmetic operand must be finite, got ${operand}`);
  return { kind: 'value', value: operand };
}

/** True for any expression object (F, arithmetic, aggregates). */
export function isExpression(value: unknown): value is Expression {
  return value instanceof Expression;
}

/** True when an aggregate appears anywhere in the expression (it then belongs in HAVING, not WHERE). */
export function containsAggregate(node: ExpressionNode): boolean {
  if (node.kind === 'aggregate') return true;
  if (node.kind === 'arith') return containsAggregate(node.left) || containsAggregate(node.right);
  return false;
}

/**
 * A reference to a column of the row being queried, for comparing two
 * columns or updating from the current value; paths may cross foreign keys.
 * @example
 * await Post.objects.filter({ likes: { gt: F('views') } });
 * await Post.objects.filter({ id: 1 }).update({ views: F('views').add(1) });
 */
export function F<const P extends string>(path: P): Expression<P, 'ref'> {
  return new Expression({ kind: 'ref', path });
}

export interface AggregateOptions {
  /** Aggregate distinct values only (`count(distinct ...)`). */
  distinct?: boolean;
  /**
   * Only aggregate rows matching this condition (SQL `FILTER (WHERE ...)`),
   * written like filter() and relative to the model holding the column:
   * `Count('posts', { filter: { published: true } })` filters posts.
   */
  filter?: WhereInput;
}

function aggregate<P extends string, K extends AggregateFunction>(fn: K, path: P | null, options: AggregateOptions): Expression<P, K> {
  return new Expression({ kind: 'aggregate', fn, path, distinct: options.distinct === true, filter: options.filter ?? null });
}

/**
 * Number of rows (no argument) or of non-null values of a field or relation.
 * Results are numbers.
 * @example
 * const authors = await Author.objects.annotate({ postCount: Count('posts') }).orderBy('-postCount');
 */
export function Count<const P extends string = never>(path?: P, options: AggregateOptions = {}): Expression<P, 'count'> {
  return aggregate('count', path ?? null, options);
}

/**
 * Sum of a numeric field; null over no rows. Decimal fields sum exactly and
 * return a string (`'12.50'`), bigint fields a bigint, others a number.
 * @example
 * const { total } = await Product.objects.aggregate({ total: Sum('price') });
 */
export function Sum<const P extends string>(path: P, options: AggregateOptions = {}): Expression<P, 'sum'> {
  return aggregate('sum', path, options);
}

/**
 * Average of a numeric field as a (floating-point) number; null over no rows.
 * @example
 * const { avgViews } = await Post.objects.aggregate({ avgViews: Avg('views') });
 */
export function Avg<const P extends string>(path: P, options: AggregateOptions = {}): Expression<P, 'avg'> {
  return aggregate('avg', path, options);
}

/**
 * Smallest value of a field, with the field's own type; null over no rows.
 * @example
 * const { first } = await Post.objects.aggregate({ first: Min('publishedAt') });
 */
export function Min<const P extends string>(path: P, options: AggregateOptions = {}): Expression<P, 'min'> {
  return aggregate('min', path, options);
}

/**
 * Largest value of a field, with the field's own type; null over no rows.
 * @example
 * const { last } = await Post.objects.aggregate({ last: Max('publishedAt') });
 */
export function Max<const P extends string>(path: P, options: AggregateOptions = {}): Expression<P, 'max'> {
  return aggregate('max', path, options);
}
