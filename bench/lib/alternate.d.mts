export type Phase = 'warmup' | 'measure';

export interface AlternateOptions<R> {
  /** Measured A/B pairs after the warm-up. */
  pairs: number;
  /** One run of the subject (Atrium). */
  runSubject: (phase: Phase) => Promise<R>;
  /** One run of the baseline. */
  runBaseline: (phase: Phase) => Promise<R>;
  /** The figure compared: requests/s, ns per lookup, ... */
  metric: (run: R) => number;
  /** Run each side once first and discard it (default true). */
  warmup?: boolean;
  /** Called after every run, for progress output. */
  onRun?: (event: { phase: Phase; side: 'subject' | 'baseline'; index?: number; run: R }) => void;
}

export interface AlternateResult<R> {
  subjectRuns: R[];
  baselineRuns: R[];
  subjectValues: number[];
  baselineValues: number[];
  /** subjectValues[i] / baselineValues[i]. */
  ratios: number[];
  /** Median of `ratios`. */
  ratio: number;
  /** (max - min) / median of `ratios`. */
  spread: number;
}

/** Warm up, then run A B A B ... and return the median of the pairwise ratios. */
export function alternate<R>(options: AlternateOptions<R>): Promise<AlternateResult<R>>;
