import { toText } from '../safe-html.js';

/**
 * Django's `pluralize`: a suffix chosen by a count. The value is a number, a
 * numeric string, or anything with a length/size (its count).
 * @example {{ n }} walrus{{ n | pluralize('es') }}   {{ n }} cherr{{ n | pluralize('y,ies') }}
 */
export function pluralize(value: unknown, suffixes: unknown = 's'): string {
  const bits = toText(suffixes).split(',');
  if (bits.length > 2) return '';
  const [singular, plural] = bits.length === 1 ? ['', bits[0]!] : [bits[0]!, bits[1]!];
  const count = countOf(value);
  if (count === null) return '';
  return count === 1 ? singular : plural;
}

function countOf(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const number = Number(value);
    return value.trim() !== '' && !Number.isNaN(number) ? number : null;
  }
  if (Array.isArray(value)) return value.length;
  if (value instanceof Map || value instanceof Set) return value.size;
  return null;
}
