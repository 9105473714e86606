export interface BenchConfig {
  /** Measured A/B pairs (at least MIN_PAIRS). */
  pairs: number;
  /** Seconds per measured load run. */
  durationSec: number;
  /** Seconds per warm-up load run. */
  warmupSec: number;
  /** Keep-alive connections the load generator opens. */
  connections: number;
  /** 'wrk' or 'autocannon' to force one; null picks wrk when installed. */
  loadGenerator: string | null;
  /** Exit 1 when a case misses its target. */
  strict: boolean;
}
/** The smallest number of A/B pairs a result may rest on. */
export const MIN_PAIRS: number;
/** Settings for a run, from BENCH_* environment variables. */
export function readConfig(env?: Record<string, string | undefined>): BenchConfig;
