import { fetchResults } from './fetch.js';
import type { QueryState } from './query-state.js';
import { isQNode, Q_NODE } from './where-input.js';

/** Fetch at most `count` rows of a state (respecting an existing slice), with `conditions` added to its filters. */
export function takeMany(state: QueryState, count: number, conditions: readonly unknown[] = []): Promise<unknown[]> {
  const limit = state.limit === null ? count : Math.min(state.limit, count);
  const where = conditions.length === 0 ? state.where : [...state.where, ...(conditions as QueryState['where'])];
  return fetchResults({ ...state, where, limit });
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
