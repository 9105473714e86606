export type Direction = 'higher' | 'lower';

export interface BenchLineInput {
  name: string;
  ratio: number;
  target: number;
  direction: Direction;
}

/** One measured case as suites return it. */
export interface CaseResult extends BenchLineInput {
  /** The median of Atrium's figure, formatted with its unit. */
  subject: string;
  /** The median of the baseline's figure, formatted with its unit. */
  baseline: string;
  /** Each pair of back-to-back runs. */
  pairs: Array<{ subject: unknown; baseline: unknown; ratio: number }>;
  /** (max - min) / median of the pairwise ratios. */
  spread: number;
}

/** `BENCH <name> ratio=<x> target>=<y>` (or `target<=` for time ratios). */
export function formatBenchLine(input: BenchLineInput): string;
/** Whether a ratio meets its target. */
export function meetsTarget(input: Pick<BenchLineInput, 'ratio' | 'target' | 'direction'>): boolean;
/** A plain-text table with left-aligned columns. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string;
/** The summary table of all results of a run. */
export function formatSummary(results: readonly CaseResult[]): string;
/** Write the machine description, settings and every result as JSON. */
export function writeResults(file: string, report: unknown): Promise<void>;
