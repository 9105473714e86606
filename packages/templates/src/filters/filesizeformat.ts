const KB = 1024;
const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['PB', KB ** 5],
  ['TB', KB ** 4],
  ['GB', KB ** 3],
  ['MB', KB ** 2],
  ['KB', KB],
];
// Django joins number and unit with a no-break space, so '1.0 KB' never wraps.
const NBSP = '\u00a0';

/**
 * Django's `filesizeformat`: a byte count as '13 KB', '4.1 MB', '102 bytes'
 * (powers of 1024, one decimal). Non-numbers give '0 bytes'.
 * @example {{ 123456789 | filesizeformat }}  -> '117.7 MB' (with a no-break space)
 */
export function filesizeformat(value: unknown): string {
  const bytes = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(bytes)) return `0${NBSP}bytes`;
  const sign = bytes < 0 ? '-' : '';
  const size = Math.abs(bytes);
  for (const [unit, factor] of UNITS) {
    if (size >= factor) return `${sign}${(size / factor).toFixed(1)}${NBSP}${unit}`;
  }
  const whole = Math.trunc(size);
  return `${sign}${whole}${NBSP}${whole === 1 ? 'byte' : 'bytes'}`;
}
