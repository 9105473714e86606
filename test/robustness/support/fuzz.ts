import fc from 'fast-check';
import { recordTally } from './tally.js';

/**
 * The seed every property in test/robustness/ runs with: fixed, so a CI run is
 * reproducible, and overridable with FUZZ_SEED to explore further
 * (`FUZZ_SEED=123 npx vitest run test/robustness`). fast-check prints the seed
 * and the shrunk counterexample when a property fails.
 */
export const FUZZ_SEED = Number(process.env['FUZZ_SEED'] ?? 20_261_207);

/** Runs per property; FUZZ_RUNS scales every property at once (e.g. FUZZ_RUNS=5000 for a long local hunt). */
export function fuzzRuns(defaultRuns: number): number {
  const override = Number(process.env['FUZZ_RUNS']);
  return Number.isInteger(override) && override > 0 ? override : defaultRuns;
}

/**
 * Check an async property with the suite's seed and record the runs in the
 * robustness tally (category 'bad-input'). A failure rethrows fast-check's
 * report, which names the seed and the shrunk input.
 */
export async function checkProperty<Ts extends [unknown, ...unknown[]]>(
  label: string,
  property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>,
  runs: number,
): Promise<void> {
  const numRuns = fuzzRuns(runs);
  const details = await fc.check(property, { seed: FUZZ_SEED, numRuns, interruptAfterTimeLimit: 60_000 });
  recordTally({ category: 'bad-input', label, tried: details.numRuns, passed: details.failed ? details.numRuns - 1 : details.numRuns });
  if (details.failed) {
    throw new Error(`${label}: ${fc.defaultReportMessage(details) ?? 'property failed'}\n(seed ${FUZZ_SEED}; rerun with FUZZ_SEED=${FUZZ_SEED})`);
  }
}

/** Settle `promise`, or reject after `ms`: a hang detector, not a speed target. */
export function withinTime<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms (a hang)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Run `fn` and return its result with the milliseconds it took. */
export function timed<T>(fn: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = fn();
  return { result, ms: performance.now() - start };
}

/**
 * A generous bound for one call on megabyte-long input. It detects a
 * quadratic or exponential blow-up (1e12 steps: minutes on 1 MB), not
 * slowness: a linear filter takes 10-500 ms on 1 MB, up to ~2 s on a CI
 * machine shared by several jobs, so the bound leaves room for that.
 */
export const MEGABYTE_BOUND_MS = 5_000;

/** Keys that reach Object.prototype when data is merged into an object. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Strings a fuzzer rarely finds alone: prototype keys, bracket paths, encodings, separators, control characters. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    ...PROTOTYPE_KEYS,
    'a[__proto__]',
    'a[constructor][prototype]',
    '__proto__[admin]',
    '%5F%5Fproto%5F%5F',
    '\u0000',
    '\ud800',
    '\r\n',
    '..%2f..%2f',
    '%',
    '%zz',
    '+',
    '&=&',
    '\u202e',
    'a'.repeat(300),
  ),
);

/** Assert nothing leaked onto Object.prototype (a polluted key would show up on every object). */
export function assertPrototypeClean(): void {
  const probe: Record<string, unknown> = {};
  for (const key of ['admin', 'polluted', 'isAdmin', 'x', 'a', 'b']) {
    if (key in probe) throw new Error(`Object.prototype was polluted with '${key}'`);
  }
  if (Object.keys(Object.prototype).length > 0) {
    throw new Error(`Object.prototype was polluted with ${JSON.stringify(Object.keys(Object.prototype))}`);
  }
}
