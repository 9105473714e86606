/**
 * Exact decimal arithmetic on strings: no floating point, so '0.1' stays
 * '0.1' and digit counts are those the user typed.
 */

// Bounded repetition: the text is also length-checked before this runs.
const DECIMAL = /^([+-]?)(\d{0,1000})(?:\.(\d{0,1000}))?$/;

/** A decimal split into sign, whole digits (no leading zeros) and fraction digits (no trailing zeros). */
export interface DecimalParts {
  readonly negative: boolean;
  readonly whole: string;
  readonly fraction: string;
}

/** Parse '-012.340' into { negative: true, whole: '12', fraction: '34' }, or null when it is not a decimal. */
export function parseDecimal(text: string): DecimalParts | null {
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const [, sign = '', wholeRaw = '', fractionRaw = ''] = match;
  if (wholeRaw === '' && fractionRaw === '') return null;
  const whole = wholeRaw.replace(/^0+/, '');
  const fraction = fractionRaw.replace(/0+$/, '');
  return { negative: sign === '-' && (whole !== '' || fraction !== ''), whole, fraction };
}

/** The canonical text of a decimal, with at least `places` fraction digits when given. */
export function formatDecimal(parts: DecimalParts, places?: number): string {
  const whole = parts.whole === '' ? '0' : parts.whole;
  const fraction = places === undefined ? parts.fraction : parts.fraction.padEnd(places, '0');
  return `${parts.negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/** -1, 0 or 1 as a < b, a = b, a > b. */
export function compareDecimals(a: DecimalParts, b: DecimalParts): number {
  if (a.negative !== b.negative) return a.negative ? -1 : 1;
  const sign = a.negative ? -1 : 1;
  if (a.whole.length !== b.whole.length) return a.whole.length > b.whole.length ? sign : -sign;
  if (a.whole !== b.whole) return a.whole > b.whole ? sign : -sign;
  const length = Math.max(a.fraction.length, b.fraction.length);
  const fa = a.fraction.padEnd(length, '0');
  const fb = b.fraction.padEnd(length, '0');
  if (fa === fb) return 0;
  return fa > fb ? sign : -sign;
}
