import type { BenchConfig } from './config.mjs';
import type { CaseResult } from './report.mjs';

export interface SuiteContext {
  /** The cases of this suite selected on the command line. */
  cases: string[];
  config: BenchConfig;
  /** 'wrk' or 'autocannon'; null when no selected suite drives HTTP load. */
  loadGenerator: string | null;
  /** Progress output (stderr). */
  log: (line: string) => void;
}

export interface Suite {
  name: string;
  description?: string;
  cases: string[];
  /** false for in-process suites, so no load generator is looked for. */
  usesLoadGenerator?: boolean;
  run(context: SuiteContext): Promise<CaseResult[]>;
}

/** The suites to run, each with the cases selected; no names selects everything. */
export function selectBenchmarks<S extends Pick<Suite, 'name' | 'cases'>>(suites: readonly S[], names: readonly string[]): Array<{ suite: S; cases: string[] }>;
/** Check a module's default export is a benchmark suite. */
export function assertSuite(value: unknown, file: string): Suite;
