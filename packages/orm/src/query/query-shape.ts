import { isPlainObject } from './compile-where.js';
import { TEXT_LOOKUPS } from './lookups.js';
import { ParamSlot } from './param-slot.js';
import type { QueryState } from './query-state.js';
import { isQNode, Q_NODE, type QNode, type WhereInput } from './where-input.js';

/**
 * The shape of a queryset: everything that decides its SQL text, as a
 * string key, apart from the values that only become parameters (filter
 * values, limit, offset), listed in `values`. Two querysets with the same
 * shape compile to the same SQL, so the compile cache compiles a shape once.
 */
export interface QueryShape {
  readonly key: string;
  readonly values: unknown[];
  /** The filters with every value replaced by its ParamSlot (only when asked for). */
  readonly slotted: WhereInput[] | null;
  /** Slots of LIMIT and OFFSET (when set), after the filter values. */
  readonly limitSlot: ParamSlot | null;
  readonly offsetSlot: ParamSlot | null;
}

// Lookups whose value is turned into SQL text or a derived pattern, not passed through as a parameter.
const VALUE_SHAPED = new Set([...TEXT_LOOKUPS, 'hasKey']);
// Longer `in` lists are compiled each time: each length is its own shape and would crowd the cache.
const MAX_LIST = 1_000;

class ShapeWalk {
  key = '';
  readonly values: unknown[] = [];
  constructor(readonly slots: boolean) {}
  /** A value that becomes a parameter: its slot in the copy, its value in the list. */
  param(value: unknown): unknown {
    const slot = this.slots ? new ParamSlot(this.values.length) : null;
    this.values.push(value);
    return slot;
  }
  name(text: string): void {
    // Length-prefixed, so no key (untrusted input may use any characters) can imitate the key syntax.
    this.key += `${text.length}:${text}`;
  }
}

/**
 * The shape of a SELECT / COUNT / EXISTS of `state` (`kind`), or null when
 * the state has parts the cache does not handle (annotations, F()
 * expressions or instances as filter values, text lookups whose value
 * shapes the SQL, undefined values that must raise their error): those
 * querysets are compiled every time, as before.
 * @example
 * // the state of Post.objects.filter({ id: 1 }):
 * shapeOf('select', state, 'sqlite', false); // { key: 'select|sqlite|{2:id=?}|o*|r|n*|d|', values: [1], ... }
 */
export function shapeOf(kind: string, state: QueryState, dialect: string, withSlots: boolean): QueryShape | null {
  if (state.annotations.size > 0) return null;
  const walk = new ShapeWalk(withSlots);
  walk.key = `${kind}|${dialect}|`;
  const slotted: WhereInput[] | null = withSlots ? [] : null;
  for (const condition of state.where) {
    const copy = walkCondition(condition, walk);
    if (copy === INVALID) return null;
    slotted?.push(copy as WhereInput);
  }
  walk.key += '|o';
  if (state.order !== null) for (const term of state.order) walk.name(term);
  else walk.key += '*';
  walk.key += '|r';
  for (const path of state.selectRelated) walk.name(path);
  walk.key += '|n';
  if (state.only !== null) for (const name of state.only) walk.name(name);
  else walk.key += '*';
  walk.key += '|d';
  for (const name of state.defer) walk.name(name);
  const projection = state.projection;
  if (projection) {
    walk.key += `|p${projection.kind}${projection.kind === 'list' && projection.flat ? 'F' : ''}`;
    for (const name of projection.fields) walk.name(name);
  }
  walk.key += `|${state.distinct ? 'D' : ''}${state.forUpdate ? 'U' : ''}${state.groupByValues ? 'G' : ''}`;
  let limitSlot: ParamSlot | null = null;
  let offsetSlot: ParamSlot | null = null;
  if (state.limit !== null) {
    walk.key += 'L';
    limitSlot = walk.param(state.limit) as ParamSlot | null;
  }
  if (state.offset > 0) {
    walk.key += 'O';
    offsetSlot = walk.param(state.offset) as ParamSlot | null;
  }
  return { key: walk.key, values: walk.values, slotted, limitSlot, offsetSlot };
}

const INVALID = Symbol('not cacheable');

function walkCondition(condition: unknown, walk: ShapeWalk): unknown {
  if (isQNode(condition)) {
    walk.key += `${condition[Q_NODE]}(`;
    const children: unknown[] = [];
    for (const child of condition.children) {
      const copy = walkCondition(child, walk);
      if (copy === INVALID) return INVALID;
      children.push(copy);
      walk.key += ',';
    }
    walk.key += ')';
    return walk.slots ? ({ [Q_NODE]: condition[Q_NODE], children } satisfies QNode<unknown>) : null;
  }
  if (!isPlainObject(condition)) return INVALID;
  walk.key += '{';
  const copy: Record<string, unknown> | null = walk.slots ? {} : null;
  for (const key of Object.keys(condition)) {
    const value = condition[key];
    if (VALUE_SHAPED.has(key)) return INVALID;
    walk.name(key);
    let out: unknown;
    if (value === null) {
      walk.key += '=N';
      out = null;
    } else if (key === 'isnull') {
      // `isnull: true` compiles to IS NULL: the value is part of the shape.
      if (typeof value !== 'boolean') return INVALID;
      walk.key += value ? '=T' : '=F';
      out = value;
    } else if (Array.isArray(value)) {
      if ((key !== 'in' && key !== 'range') || value.length > MAX_LIST) return INVALID;
      walk.key += `[${value.length}]`;
      const items: unknown[] = [];
      for (const item of value) {
        if (!isScalar(item)) return INVALID;
        items.push(walk.param(item));
      }
      out = items;
    } else if (isScalar(value)) {
      walk.key += '=?';
      out = walk.param(value);
    } else if (isPlainObject(value) && !isQNode(value)) {
      out = walkCondition(value, walk);
      if (out === INVALID) return INVALID;
    } else {
      return INVALID;
    }
    if (copy) copy[key] = out;
  }
  walk.key += '}';
  return copy;
}

function isScalar(value: unknown): boolean {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint' || value instanceof Date;
}
