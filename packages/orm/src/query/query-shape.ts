import { isPlainObject } from './compile-where.js';
import { TEXT_LOOKUPS } from './lookups.js';
import { ParamSlot } from './param-slot.js';
import type { QueryState } from './query-state.js';
import { isQNode, NO_CONDITIONS, Q_NODE, type QNode, type WhereInput } from './where-input.js';

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
  /** Index in `values` of the first value of the `more` conditions (the count of the state's own filter values). */
  readonly firstMore: number;
  /** Slots of LIMIT and OFFSET (when set), after the filter values. */
  readonly limitSlot: ParamSlot | null;
  readonly offsetSlot: ParamSlot | null;
}

// Lookups whose value is turned into SQL text or a derived pattern, not passed through as a parameter.
const VALUE_SHAPED = new Set([...TEXT_LOOKUPS, 'hasKey']);
// Longer `in` lists are compiled each time: each length is its own shape and would crowd the cache.
const MAX_LIST = 1_000;

// Fragments of shape keys already built, shared by all models: a trie whose
// nodes hold the key text up to them. Walking it reuses one string per shape
// instead of concatenating a fresh key (and hashing it) on every query.
// Past this many nodes (odd or hostile filter names), keys are built afresh.
const MAX_KEY_NODES = 20_000;
let keyNodes = 0;

/** One step of the trie: the key so far, and the steps after it by name, literal and list length. */
class KeyNode {
  names: Map<string, KeyNode> | undefined = undefined;
  literals: Map<string, KeyNode> | undefined = undefined;
  lengths: Map<number, KeyNode> | undefined = undefined;
  constructor(readonly key: string) {}
}

/** Remember `node` under `token` unless the trie is full (then it serves this one walk). */
function keep<K>(map: Map<K, KeyNode>, token: K, node: KeyNode): KeyNode {
  if (keyNodes < MAX_KEY_NODES) {
    keyNodes++;
    map.set(token, node);
  }
  return node;
}

const ROOT = new KeyNode('');

class ShapeWalk {
  #node = ROOT;
  readonly values: unknown[] = [];
  constructor(readonly slots: boolean) {}
  get key(): string {
    return this.#node.key;
  }
  /** A value that becomes a parameter: its slot in the copy, its value in the list. */
  param(value: unknown): unknown {
    const slot = this.slots ? new ParamSlot(this.values.length) : null;
    this.values.push(value);
    return slot;
  }
  /** Key syntax (only constants of this file). */
  literal(text: string): void {
    const node = this.#node;
    this.#node = (node.literals ??= new Map()).get(text) ?? keep(node.literals, text, new KeyNode(node.key + text));
  }
  name(text: string): void {
    const node = this.#node;
    // Length-prefixed, so no key (untrusted input may use any characters) can imitate the key syntax.
    this.#node = (node.names ??= new Map()).get(text) ?? keep(node.names, text, new KeyNode(`${node.key}${text.length}:${text}`));
  }
  /** The length of an `in` / `range` list. */
  length(count: number): void {
    const node = this.#node;
    this.#node = (node.lengths ??= new Map()).get(count) ?? keep(node.lengths, count, new KeyNode(`${node.key}[${count}]`));
  }
}

/**
 * The shape of a SELECT / COUNT / EXISTS of `state` (`kind`), or null when
 * the state has parts the cache does not handle (annotations, F()
 * expressions or instances as filter values, text lookups whose value
 * shapes the SQL, undefined values that must raise their error): those
 * querysets are compiled every time, as before.
 * `more` and `limit` give the shape of `narrowed(state, more, limit)` (compile-cache.ts) without the copy.
 * @example
 * // the state of Post.objects.filter({ id: 1 }):
 * shapeOf('select', state, 'sqlite', false); // { key: '6:select6:sqlite{2:id=?}|o*|r|n*|d|', values: [1], ... }
 */
export function shapeOf(kind: string, state: QueryState, dialect: string, withSlots: boolean, more: readonly WhereInput[] = NO_CONDITIONS, limit = state.limit): QueryShape | null {
  if (state.annotations.size > 0) return null;
  const walk = new ShapeWalk(withSlots);
  walk.name(kind);
  walk.name(dialect);
  const slotted: WhereInput[] | null = withSlots ? [] : null;
  // `more` (conditions get() adds) continue the state's own: the key is that of the narrowed state.
  let firstMore = 0;
  for (let list = state.where, pass = 0; pass < 2; list = more, pass++) {
    if (pass === 1) firstMore = walk.values.length;
    for (let i = 0; i < list.length; i++) {
      const copy = walkCondition(list[i], walk);
      if (copy === INVALID) return null;
      slotted?.push(copy as WhereInput);
    }
  }
  const projection = state.projection;
  if (isPlain(state)) {
    // The usual tail (no ordering, relations, column choice or flags) in one step: the same key text as below.
    walk.literal(PLAIN_TAIL);
  } else {
    walk.literal('|o');
    if (state.order !== null) for (const term of state.order) walk.name(term);
    else walk.literal('*');
    walk.literal('|r');
    for (const path of state.selectRelated) walk.name(path);
    walk.literal('|n');
    if (state.only !== null) for (const name of state.only) walk.name(name);
    else walk.literal('*');
    walk.literal('|d');
    for (const name of state.defer) walk.name(name);
    if (projection) {
      walk.literal(projection.kind === 'values' ? '|pvalues' : projection.flat ? '|plistF' : '|plist');
      for (const name of projection.fields) walk.name(name);
    }
    walk.literal('|');
    if (state.distinct) walk.literal('D');
    if (state.forUpdate) walk.literal('U');
    if (state.groupByValues) walk.literal('G');
  }
  let limitSlot: ParamSlot | null = null;
  let offsetSlot: ParamSlot | null = null;
  if (limit !== null) {
    walk.literal('L');
    limitSlot = walk.param(limit) as ParamSlot | null;
  }
  if (state.offset > 0) {
    walk.literal('O');
    offsetSlot = walk.param(state.offset) as ParamSlot | null;
  }
  return { key: walk.key, values: walk.values, firstMore, slotted, limitSlot, offsetSlot };
}

/** The key text of the tail of a state for which isPlain() holds. */
const PLAIN_TAIL = '|o*|r|n*|d|';

function isPlain(state: QueryState): boolean {
  return (
    state.order === null &&
    state.selectRelated.length === 0 &&
    state.only === null &&
    state.defer.length === 0 &&
    state.projection === null &&
    !state.distinct &&
    !state.forUpdate &&
    !state.groupByValues
  );
}

/**
 * True when at most one row can match `state` narrowed by `more`: its only
 * filter is an equality on the primary key or on another unique field
 * (`{ pk: 5 }`, `{ id: 5 }`, `{ email: 'a@b.c' }`) and no join or
 * projection can repeat that row. Such a SELECT needs only its first row,
 * and get() needs no LIMIT. The uniqueness is the one the model declares
 * (its migrations create the constraint), as Django trusts it too.
 */
export function isUniqueLookup(state: QueryState, more: readonly WhereInput[] = NO_CONDITIONS): boolean {
  const where = state.where;
  if (where.length + more.length !== 1 || state.projection !== null || state.selectRelated.length !== 0 || state.annotations.size > 0) return false;
  const condition = where.length === 1 ? where[0] : more[0];
  // Not isPlainObject(): get() asks on every call, and anything else fails to compile before this matters.
  if (typeof condition !== 'object' || condition === null || isQNode(condition)) return false;
  const keys = Object.keys(condition);
  if (keys.length !== 1) return false;
  const key = keys[0]!;
  const meta = state.model.meta;
  const field = key === 'pk' ? meta.pk : meta.fieldMap.get(key);
  // Only the field's own name or 'pk': any other key (a column name, an attname) is not checked here.
  return field !== undefined && (key === 'pk' || field.name === key) && field.hasColumn && field.isUnique && isScalar((condition as Record<string, unknown>)[key]);
}

const INVALID = Symbol('not cacheable');

function walkCondition(condition: unknown, walk: ShapeWalk): unknown {
  if (isQNode(condition)) {
    walk.name(condition[Q_NODE]);
    walk.literal('(');
    const children: unknown[] = [];
    for (const child of condition.children) {
      const copy = walkCondition(child, walk);
      if (copy === INVALID) return INVALID;
      children.push(copy);
      walk.literal(',');
    }
    walk.literal(')');
    return walk.slots ? ({ [Q_NODE]: condition[Q_NODE], children } satisfies QNode<unknown>) : null;
  }
  if (!isPlainObject(condition)) return INVALID;
  walk.literal('{');
  const copy: Record<string, unknown> | null = walk.slots ? {} : null;
  for (const key of Object.keys(condition)) {
    const value = condition[key];
    if (VALUE_SHAPED.has(key)) return INVALID;
    walk.name(key);
    let out: unknown;
    if (value === null) {
      walk.literal('=N');
      out = null;
    } else if (key === 'isnull') {
      // `isnull: true` compiles to IS NULL: the value is part of the shape.
      if (typeof value !== 'boolean') return INVALID;
      walk.literal(value ? '=T' : '=F');
      out = value;
    } else if (Array.isArray(value)) {
      if ((key !== 'in' && key !== 'range') || value.length > MAX_LIST) return INVALID;
      walk.length(value.length);
      const items: unknown[] = [];
      for (const item of value) {
        if (!isScalar(item)) return INVALID;
        items.push(walk.param(item));
      }
      out = items;
    } else if (isScalar(value)) {
      walk.literal('=?');
      out = walk.param(value);
    } else if (isPlainObject(value) && !isQNode(value)) {
      out = walkCondition(value, walk);
      if (out === INVALID) return INVALID;
    } else {
      return INVALID;
    }
    if (copy) copy[key] = out;
  }
  walk.literal('}');
  return copy;
}

/** A value that compiles to one parameter (`=?`), whatever its type. */
export function isScalar(value: unknown): boolean {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' || type === 'bigint' || value instanceof Date;
}
