import { copySafeness, isSafe, toText } from '../safe-html.js';

/**
 * Django humanize's `intcomma`: group the integer part of a number (or of a
 * numeric string) in threes with commas. Anything else is returned unchanged.
 * @example {{ 4500000.25 | intcomma }}  -> '4,500,000.25'
 */
export function intcomma(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'bigint') {
    const text = String(value);
    return groupDigits(text) ?? text;
  }
  if (typeof value === 'string' || isSafe(value)) {
    const grouped = groupDigits(toText(value).trim());
    return grouped === null ? value : copySafeness(value, grouped);
  }
  return value;
}

/** '-1234567.5' -> '-1,234,567.5'; null when `text` is not a plain decimal ('1e+21', 'NaN', 'abc'). */
function groupDigits(text: string): string | null {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(text);
  if (!match) return null;
  const sign = match[1] ?? '';
  const integer = match[2] ?? '';
  const fraction = match[3] ?? '';
  const head = integer.length % 3 || 3;
  const groups = [integer.slice(0, head)];
  for (let i = head; i < integer.length; i += 3) groups.push(integer.slice(i, i + 3));
  return `${sign}${groups.join(',')}${fraction}`;
}
