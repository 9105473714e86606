// Statistics for noisy, shared machines: compare A and B within one pair of
// back-to-back runs, then take the median over pairs, so that a slow phase of
// the machine (another process, thermal, GC) moves both halves of a pair and
// cancels out instead of skewing the result.

/**
 * The median of a non-empty list of finite numbers (mean of the middle two
 * for an even count).
 * @example median([3, 1, 2]) // 2
 */
export function median(values) {
  if (values.length === 0) throw new RangeError('median() needs at least one value; got an empty list');
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`median() needs finite numbers; got ${v}`);
  }
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * `a[i] / b[i]` for each pair of runs measured back to back.
 * @example pairwiseRatios([90, 100], [100, 100]) // [0.9, 1]
 */
export function pairwiseRatios(a, b) {
  if (a.length !== b.length) {
    throw new RangeError(`pairwiseRatios() needs as many A runs as B runs; got ${a.length} and ${b.length}`);
  }
  return a.map((value, i) => {
    const base = b[i];
    if (!(base > 0)) throw new RangeError(`pairwiseRatios(): baseline run #${i + 1} measured ${base}; it must be > 0`);
    return value / base;
  });
}

/**
 * The benchmark figure: median of the pairwise ratios A/B.
 * @example medianOfPairwiseRatios([90, 50, 100], [100, 100, 100]) // 0.9
 */
export function medianOfPairwiseRatios(a, b) {
  return median(pairwiseRatios(a, b));
}

/**
 * Relative spread of a list: (max - min) / median, to show in reports how
 * noisy the runs were.
 * @example relativeSpread([90, 100, 110]) // 0.2
 */
export function relativeSpread(values) {
  const m = median(values);
  return m === 0 ? 0 : (Math.max(...values) - Math.min(...values)) / m;
}
