import { Expression } from '../../query/expressions.js';
import { isQNode, Q_NODE } from '../../query/where-input.js';

/**
 * A value a migration file can spell as a literal: JSON plus dates and
 * bigints (field defaults, one-off backfills, choices). Check constraint
 * conditions additionally hold Q nodes and F() expressions; `valuesEqual`
 * and the writer understand those too.
 */
export type SpecValue = null | boolean | number | string | bigint | Date | readonly SpecValue[] | { readonly [key: string]: SpecValue };

/** True when `value` can be written into a migration file (functions, class instances and symbols cannot). */
export function isSpecValue(value: unknown): value is SpecValue {
  if (value === null) return true;
  switch (typeof value) {
    case 'boolean':
    case 'string':
    case 'bigint':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (value instanceof Date) return !Number.isNaN(value.getTime());
      if (Array.isArray(value)) return value.every(isSpecValue);
      if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return false;
      return Object.values(value).every(isSpecValue);
    default:
      return false;
  }
}

/**
 * Structural equality of spec values, constraint conditions (Q nodes,
 * F() expressions) and whole specs: the autodetector's notion of "changed".
 * @example
 * valuesEqual({ a: [1, new Date(0)] }, { a: [1, new Date(0)] }); // true
 */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof Expression || b instanceof Expression) return a instanceof Expression && b instanceof Expression && valuesEqual(a.node, b.node);
  if (isQNode(a) || isQNode(b)) {
    return isQNode(a) && isQNode(b) && a[Q_NODE] === b[Q_NODE] && valuesEqual(a.children, b.children);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => valuesEqual(item, b[i]));
  }
  if (typeof b !== 'object') return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((key) => Object.prototype.hasOwnProperty.call(b, key) && valuesEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

