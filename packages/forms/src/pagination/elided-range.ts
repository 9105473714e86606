/** What stands for skipped page numbers in an elided range. */
export const ELLIPSIS = '…';

export interface ElidedRangeOptions {
  /** Pages shown on each side of the current one (default 3). */
  onEachSide?: number;
  /** Pages shown at each end (default 2). */
  onEnds?: number;
}

/**
 * Page numbers around `number` with the ends, the gaps replaced by ELLIPSIS
 * (Django's get_elided_page_range): 1 2 … 7 8 9 10 11 12 13 … 49 50.
 * @example elidedPageRange(10, 50, { onEachSide: 1, onEnds: 1 }) // [1, '…', 9, 10, 11, '…', 50]
 */
export function elidedPageRange(number: number, numPages: number, options: ElidedRangeOptions = {}): Array<number | typeof ELLIPSIS> {
  const onEachSide = options.onEachSide ?? 3;
  const onEnds = options.onEnds ?? 2;
  const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
  if (numPages <= (onEachSide + onEnds) * 2) return range(1, numPages);
  const out: Array<number | typeof ELLIPSIS> = [];
  if (number > 1 + onEachSide + onEnds + 1) out.push(...range(1, onEnds), ELLIPSIS, ...range(number - onEachSide, number));
  else out.push(...range(1, number));
  if (number < numPages - onEachSide - onEnds - 1) out.push(...range(number + 1, number + onEachSide), ELLIPSIS, ...range(numPages - onEnds + 1, numPages));
  else out.push(...range(number + 1, numPages));
  return out;
}
