import type { LoadResult } from './load-result.mjs';
/** Read requests per second, latency percentiles and error counts from `autocannon --json` output. */
export function parseAutocannonOutput(output: string): LoadResult;
