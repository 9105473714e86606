import type { LoadResult } from './load-result.mjs';
/** A wrk duration such as `812.00us`, `1.12ms` or `2.01s`, in milliseconds. */
export function parseWrkDuration(textValue: string): number;
/** Read requests per second, latency percentiles and error counts from `wrk --latency` output. */
export function parseWrkOutput(output: string): LoadResult;
