// Everything a person or a script reads from a benchmark run: the BENCH
// lines (the contract other tools grep for), the summary table, and
// bench/results/latest.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The contract line for one measured case. `direction` is 'higher' when a
 * bigger ratio is better (throughput: `target>=`), 'lower' for time ratios
 * (`target<=`).
 * @example formatBenchLine({ name: 'json', ratio: 0.9312, target: 0.9, direction: 'higher' })
 * // 'BENCH json ratio=0.931 target>=0.90'
 */
export function formatBenchLine({ name, ratio, target, direction }) {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) {
    throw new RangeError(`Benchmark name '${name}' must be lower-case letters, digits, '.', '_' or '-' so BENCH lines stay greppable`);
  }
  if (!Number.isFinite(ratio)) throw new RangeError(`Benchmark '${name}' has ratio ${ratio}; it must be a finite number`);
  return `BENCH ${name} ratio=${ratio.toFixed(3)} target${comparator(direction)}${target.toFixed(2)}`;
}

/**
 * Whether a ratio meets its target.
 * @example meetsTarget({ ratio: 1.4, target: 2, direction: 'lower' }) // true
 */
export function meetsTarget({ ratio, target, direction }) {
  return direction === 'lower' ? ratio <= target : ratio >= target;
}

function comparator(direction) {
  if (direction === 'higher') return '>=';
  if (direction === 'lower') return '<=';
  throw new RangeError(`Benchmark direction '${direction}' is unknown; use 'higher' (throughput) or 'lower' (time)`);
}

/**
 * A plain-text table with left-aligned columns, for terminals and CI logs.
 * @example formatTable(['case', 'ratio'], [['json', '0.93']])
 */
export function formatTable(header, rows) {
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((row) => String(row[col] ?? '').length)));
  const line = (cells) => cells.map((cell, col) => String(cell ?? '').padEnd(widths[col])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The summary table of all results of a run. */
export function formatSummary(results) {
  const rows = results.map((r) => [
    r.name,
    r.ratio.toFixed(3),
    `${comparator(r.direction)}${r.target.toFixed(2)}`,
    meetsTarget(r) ? 'ok' : 'MISSED',
    r.subject,
    r.baseline,
    `${r.pairs.length}`,
    `${(r.spread * 100).toFixed(0)}%`,
  ]);
  return formatTable(['case', 'ratio', 'target', 'status', 'atrium (median)', 'baseline (median)', 'pairs', 'ratio spread'], rows);
}

/** Write the machine description, settings and every result as JSON. */
export async function writeResults(file, report) {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
}
