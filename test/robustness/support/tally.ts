import { appendFileSync } from 'node:fs';

/**
 * One line of the robustness report: bad inputs tried/passed, faults
 * injected/survived, requests under load sent/failed, or writes
 * acknowledged/found.
 */
export interface TallyEntry {
  category: 'bad-input' | 'fault' | 'load' | 'writes';
  label: string;
  /** Bad inputs tried, faults injected, requests sent, or writes acknowledged. */
  tried: number;
  /** Bad inputs handled, faults survived, requests that did NOT fail, or writes found in the database. */
  passed: number;
}

/**
 * Append an entry to the file named by ROBUSTNESS_TALLY, which
 * `npm run robustness` (test/robustness/run.mjs) sets and sums into its table.
 * Outside that run it does nothing. Lines are short single writes with
 * O_APPEND, so parallel test files do not interleave them.
 */
export function recordTally(entry: TallyEntry): void {
  const file = process.env['ROBUSTNESS_TALLY'];
  if (!file) return;
  appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

/** Record one bad input sent over a socket that the server handled as promised. */
export function recordBadInput(label: string, passed: boolean): void {
  recordTally({ category: 'bad-input', label, tried: 1, passed: passed ? 1 : 0 });
}

/** Record one fault injected and whether the system survived it. */
export function recordFault(label: string, survived: boolean): void {
  recordTally({ category: 'fault', label, tried: 1, passed: survived ? 1 : 0 });
}
