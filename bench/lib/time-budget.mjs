// A time budget measured as a benchmark: a warm-up run, then `runs` timed
// runs; the ratio is the median time over the budget (<= 1 meets it). Used
// where there is no other implementation to alternate with (the newcomer's
// commands, migrate on a large project).
import { median } from './stats.mjs';

/**
 * Time `once(i)` (it returns seconds) `runs` times after one warm-up call
 * (`once('warmup')`), and report it against `budgetSeconds`.
 * @example await measureBudget('manage-help', 0.3, 5, log, () => timed(() => exec(manage, ['--help'])))
 */
export async function measureBudget(name, budgetSeconds, runs, log, once) {
  await once('warmup');
  const seconds = [];
  for (let i = 0; i < runs; i++) {
    seconds.push(await once(i));
    log(`  ${name} run ${i + 1}: ${(seconds[i] * 1000).toFixed(0)} ms`);
  }
  const ratios = seconds.map((s) => s / budgetSeconds);
  const ratio = median(ratios);
  log(`  ${name}: median ${(median(seconds) * 1000).toFixed(0)} ms of a ${budgetSeconds} s budget -> ratio ${ratio.toFixed(3)}`);
  return {
    name,
    ratio,
    target: 1,
    direction: 'lower',
    subject: `${(median(seconds) * 1000).toFixed(0)} ms`,
    baseline: `budget ${budgetSeconds} s`,
    spread: (Math.max(...ratios) - Math.min(...ratios)) / ratio,
    pairs: seconds.map((s, i) => ({ subject: s, baseline: budgetSeconds, ratio: ratios[i] })),
    unit: 's',
  };
}
