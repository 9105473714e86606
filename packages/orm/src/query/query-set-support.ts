import { fetchResults, selectResultsThen } from './fetch.js';
import type { QueryState } from './query-state.js';
import { isQNode, NO_CONDITIONS, Q_NODE, type WhereInput } from './where-input.js';

/** Fetch at most `count` rows of a state (respecting an existing slice), with `conditions` added to its filters. */
export function takeMany(state: QueryState, count: number, conditions: readonly unknown[] = NO_CONDITIONS): Promise<unknown[]> {
  return fetchResults(state, conditions as readonly WhereInput[], limitOf(state, count));
}

function limitOf(state: QueryState, count: number): number {
  return state.limit === null ? count : Math.min(state.limit, count);
}

/**
 * get(): the one row of `state` matching `conditions`, or a rejection with
 * the model's DoesNotExist / MultipleObjectsReturned. One promise per call:
 * when SQLite answered at once, the row is handed over without the extra
 * promise hops of nested async functions; on PostgreSQL the one-row check
 * runs in pg's callback with the rows (see PostgresStatements.rows).
 */
export function getOne(state: QueryState, conditions: readonly unknown[]): Promise<unknown> {
  try {
    const more = conditions as readonly WhereInput[];
    // Unsliced, the LIMIT 21 is left out for a unique lookup: the compile cache decides that once per shape.
    const row = state.limit === null && state.offset === 0 ? selectResultsThen('get', state, more, GET_LIMIT, onlyRow, conditions) : selectResultsThen('select', state, more, limitOf(state, GET_LIMIT), onlyRow, conditions);
    // A row is a model instance or a values() record, never a promise: a promise here is the pending query.
    return row instanceof Promise ? row : Promise.resolve(row);
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * The LIMIT of get(): 21, so that MultipleObjectsReturned can say how many
 * rows matched (as Django does). An equality on a unique field matches one
 * row at most: its SQL is the plain lookup, without a LIMIT for the
 * database to bind and apply (see compileCached, kind 'get').
 */
const GET_LIMIT = 21;

function onlyRow(rows: readonly unknown[], state: QueryState, conditions: readonly unknown[]): unknown {
  if (rows.length === 1) return rows[0];
  const model = state.model;
  const described = describeWhere([...state.where, ...conditions]);
  if (rows.length === 0) throw new model.DoesNotExist(`${model.meta.modelName} matching ${described} does not exist.`);
  throw new model.MultipleObjectsReturned(`get() returned more than one ${model.meta.modelName} matching ${described} (${rows.length > 20 ? 'more than 20' : rows.length}).`);
}

/** A short readable form of filter conditions for error messages: `{ id: 5, author: { name: "Ann" } }`. */
export function describeWhere(conditions: readonly unknown[]): string {
  if (conditions.length === 0) return 'the query';
  const text = conditions.map(describe).join(' and ');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

function describe(value: unknown): string {
  if (isQNode(value)) return `${value[Q_NODE]}(${value.children.map(describe).join(', ')})`;
  if (value === null) return 'null';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (typeof value === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
    if (name && name !== 'Object') return name;
    return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${describe(v)}`).join(', ')} }`;
  }
  return String(value);
}
