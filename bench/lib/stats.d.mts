/** The median of a non-empty list of finite numbers (mean of the middle two for an even count). */
export function median(values: readonly number[]): number;
/** `a[i] / b[i]` for each pair of runs measured back to back. */
export function pairwiseRatios(a: readonly number[], b: readonly number[]): number[];
/** Median of the pairwise ratios A/B. */
export function medianOfPairwiseRatios(a: readonly number[], b: readonly number[]): number;
/** (max - min) / median of a list. */
export function relativeSpread(values: readonly number[]): number;
