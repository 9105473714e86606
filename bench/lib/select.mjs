// Turn `npm run bench -- NAME...` into the suites and cases to run. A name is
// either a suite (runs all its cases) or one case of a suite.

/**
 * The suites to run, in discovery order, each with the cases selected.
 * No names selects everything.
 * @example selectBenchmarks([{ name: 'http', cases: ['plaintext', 'json'] }], ['json'])
 * // [{ suite: <http>, cases: ['json'] }]
 */
export function selectBenchmarks(suites, names) {
  if (names.length === 0) return suites.map((suite) => ({ suite, cases: [...suite.cases] }));
  const wanted = new Map();
  for (const name of names) {
    const suite = suites.find((s) => s.name === name) ?? suites.find((s) => s.cases.includes(name));
    if (!suite) {
      const known = suites.map((s) => `${s.name} (${s.cases.join(', ')})`).join('; ');
      throw new RangeError(`Unknown benchmark '${name}'. Known suites (cases): ${known}`);
    }
    const cases = wanted.get(suite) ?? new Set();
    for (const c of suite.name === name ? suite.cases : [name]) cases.add(c);
    wanted.set(suite, cases);
  }
  // Keep discovery order and each suite's case order, whatever order names came in.
  return suites.filter((s) => wanted.has(s)).map((suite) => ({ suite, cases: suite.cases.filter((c) => wanted.get(suite).has(c)) }));
}

/**
 * Check a module's default export is a benchmark suite, naming the file and
 * the missing part otherwise.
 */
export function assertSuite(value, file) {
  const problems = [];
  if (!value || typeof value !== 'object') problems.push('a default export object');
  else {
    if (typeof value.name !== 'string' || value.name === '') problems.push('`name` (string)');
    if (!Array.isArray(value.cases) || value.cases.length === 0 || !value.cases.every((c) => typeof c === 'string')) {
      problems.push('`cases` (non-empty list of case names)');
    }
    if (typeof value.run !== 'function') problems.push('`run({ cases, config, loadGenerator, log })`');
  }
  if (problems.length > 0) throw new TypeError(`Benchmark suite ${file} needs ${problems.join(', ')}`);
  return value;
}
