/** One load-generator run, whichever tool produced it. */
export interface LoadResult {
  requestsPerSec: number;
  /** Median latency in milliseconds. */
  p50Ms: number;
  /** 99th percentile latency in milliseconds. */
  p99Ms: number;
  /** Requests completed during the run. */
  requests: number;
  durationMs: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Responses with a status outside 2xx/3xx. */
  non2xx: number;
}
