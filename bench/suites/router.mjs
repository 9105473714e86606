// Route-table scaling: time per router.resolve() with 1,000 routes over time
// per lookup with 10 routes, in this process. Django-style tables are
// declared in order; a router that tries every pattern in turn grows
// linearly (ratio near 100 here), a compiled one stays near 1.
import { alternate } from '../lib/alternate.mjs';
import { median } from '../lib/stats.mjs';

const TARGET = 2.0;
// Both tables are looked up through lists of the same length, so the two
// loops differ only in the table behind them.
const LOOKUPS_PER_LIST = 1_000;
// Aim each measured run at this long: long enough for timer resolution and
// JIT noise to vanish, short enough for the whole suite to take seconds.
const RUN_MS = 300;

export default {
  name: 'router',
  description: 'router.resolve() time per lookup: 1,000 routes over 10 routes',
  cases: ['router-1000'],
  usesLoadGenerator: false,
  async run({ config, log }) {
    // Imported here, not at the top, so that the other suites still run while core is not built.
    const { Router, path, include } = await import('@atrium/core');
    const small = buildTable(10, { Router, path, include });
    const large = buildTable(1_000, { Router, path, include });
    for (const table of [small, large]) checkTable(table);

    // Calibrate on the larger table so neither run is too short to time.
    const rounds = calibrate(large);
    log(`  ${rounds * LOOKUPS_PER_LIST} lookups per run (${rounds} passes over ${LOOKUPS_PER_LIST} paths)`);
    const outcome = await alternate({
      pairs: Math.max(config.pairs, 7),
      runSubject: async () => timeLookups(large, rounds),
      runBaseline: async () => timeLookups(small, rounds),
      metric: (run) => run.nsPerLookup,
      onRun: ({ phase, side, index, run }) =>
        log(`  ${phase === 'warmup' ? 'warm-up ' : `pair ${index + 1} `}${side === 'subject' ? '1000 routes' : '  10 routes'} ${run.nsPerLookup.toFixed(1)} ns/lookup`),
    });
    log(`  router-1000: pairwise ratios ${outcome.ratios.map((r) => r.toFixed(3)).join(' ')} -> median ${outcome.ratio.toFixed(3)}`);
    return [
      {
        name: 'router-1000',
        ratio: outcome.ratio,
        target: TARGET,
        direction: 'lower',
        subject: `${median(outcome.subjectValues).toFixed(1)} ns/lookup (1000 routes)`,
        baseline: `${median(outcome.baselineValues).toFixed(1)} ns/lookup (10 routes)`,
        spread: outcome.spread,
        pairs: outcome.ratios.map((ratio, i) => ({ subject: outcome.subjectRuns[i], baseline: outcome.baselineRuns[i], ratio })),
        unit: 'ns/lookup',
      },
    ];
  },
};

/**
 * A route table of `size` routes in include() groups of ten (five static,
 * five with `<int:id>`), and LOOKUPS_PER_LIST request paths spread evenly
 * over all of its routes in a shuffled order, each with the name it must
 * resolve to.
 */
function buildTable(size, { Router, path, include }) {
  const view = () => {
    throw new Error('views are not called by this benchmark');
  };
  const groups = [];
  const targets = [];
  for (let g = 0; g < size / 10; g++) {
    const prefix = `section${g}/`;
    const routes = [
      ['', 'index'],
      ['about/', 'about'],
      ['archive/', 'archive'],
      ['feed/', 'feed'],
      ['search/', 'search'],
      ['<int:id>/', 'detail'],
      ['<int:id>/edit/', 'edit'],
      ['<int:id>/delete/', 'delete'],
      ['comments/<int:id>/', 'comment'],
      ['tags/<int:id>/posts/', 'tag-posts'],
    ];
    groups.push(include(prefix, routes.map(([pattern, name]) => path(pattern, view, { name })), { namespace: `s${g}` }));
    for (const [pattern, name] of routes) targets.push({ pattern: `${prefix}${pattern}`, name: `s${g}:${name}` });
  }
  const router = new Router(groups);
  const lookups = [];
  for (let i = 0; i < LOOKUPS_PER_LIST; i++) {
    const target = targets[i % targets.length];
    const id = (i * 7_919) % 100_000;
    lookups.push({ path: `/${target.pattern.replace('<int:id>', String(id))}`, name: target.name });
  }
  shuffle(lookups);
  return { size, router, paths: lookups.map((l) => l.path), expected: lookups.map((l) => l.name) };
}

/** Refuse to time a table that resolves any path wrongly: a fast wrong answer is no result. */
function checkTable(table) {
  table.paths.forEach((p, i) => {
    const found = table.router.resolve(p);
    if (found?.name !== table.expected[i]) {
      throw new Error(`Router with ${table.size} routes resolved '${p}' to ${found ? `'${found.name}'` : 'nothing'}; expected '${table.expected[i]}'`);
    }
  });
}

/** Passes over the path list that take about RUN_MS on `table`. */
function calibrate(table) {
  timeLookups(table, 20); // let the JIT settle before timing
  const probe = timeLookups(table, 50);
  const perPassMs = (probe.nsPerLookup * LOOKUPS_PER_LIST) / 1e6;
  return Math.max(50, Math.round(RUN_MS / perPassMs));
}

function timeLookups(table, rounds) {
  const { router, paths } = table;
  let found = 0;
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < paths.length; i++) if (router.resolve(paths[i]) !== null) found++;
  }
  const elapsedNs = Number(process.hrtime.bigint() - start);
  // Using the count keeps the lookups from being optimised away.
  if (found !== rounds * paths.length) throw new Error(`Router with ${table.size} routes missed ${rounds * paths.length - found} lookups`);
  return { nsPerLookup: elapsedNs / found, lookups: found, elapsedMs: elapsedNs / 1e6 };
}

/** Deterministic Fisher-Yates, so every run looks paths up in the same order. */
function shuffle(list) {
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
}
