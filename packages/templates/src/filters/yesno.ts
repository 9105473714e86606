import { toText } from '../safe-html.js';

/**
 * Django's `yesno`: map true / false / null-or-undefined to the given words
 * ('yes,no,maybe' by default). Truth follows Django (Python) rules: 0, '',
 * empty arrays, maps, sets and objects are false. With two words, null uses
 * the second; with fewer, the value is returned unchanged.
 * @example {{ user.isActive | yesno('active,inactive') }}
 */
export function yesno(value: unknown, words: unknown = 'yes,no,maybe'): unknown {
  const bits = toText(words).split(',');
  if (bits.length < 2) return value;
  const [yes, no] = bits as [string, string];
  const maybe = bits.length === 3 ? bits[2]! : no;
  if (value === null || value === undefined) return maybe;
  return isTruthy(value) ? yes : no;
}

function isTruthy(value: unknown): boolean {
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string' || Array.isArray(value)) return value.length > 0;
  if (value instanceof Map || value instanceof Set) return value.size > 0;
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) return Object.keys(value).length > 0;
  return Boolean(value);
}
