// The TechEmpower test types on a small Atrium project written as the docs
// teach (bench/apps/techempower-atrium: settings, models, urls, views with
// querysets, a Nunjucks template) against a hand-written node:http server
// with the same drivers (bench/apps/techempower-baseline.mjs), on SQLite and
// on PostgreSQL. Servers on the server core, wrk on the load core, runs
// alternating; the figure is the median of pairwise req/s ratios.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkResponses, measureHttpCase } from '../lib/http-compare.mjs';
import { startServer } from '../lib/spawn-server.mjs';
import { TECHEMPOWER_CASES } from '../lib/techempower.mjs';
import { createFixture, fixtureEnvironment, parseDatabase, removeFixtureFiles } from '../lib/techempower-fixture.mjs';

const apps = join(dirname(fileURLToPath(import.meta.url)), '..', 'apps');
const DATABASE_TESTS = ['db', 'queries', 'fortunes', 'updates', 'cached-queries'];
const ENGINES = ['sqlite', 'postgres'];
const TARGETS = { plaintext: 0.9, json: 0.9 };
const DEFAULT_TARGET = 0.85;
// The Atrium side runs far more JavaScript than the baseline; a one-second warm-up left its
// first measured pair at a third of its steady speed (V8 still optimising), so warm up longer.
const MIN_WARMUP_SEC = 3;

/** Case names: te-plaintext and te-json (no database), then te-<test>-<engine>. */
const CASES = ['te-plaintext', 'te-json', ...ENGINES.flatMap((engine) => DATABASE_TESTS.map((test) => `te-${test}-${engine}`))];

export default {
  name: 'techempower',
  description: 'TechEmpower test types: an idiomatic Atrium project vs hand-written node:http + driver (req/s), SQLite and PostgreSQL',
  cases: CASES,
  async run({ cases, config, loadGenerator, log }) {
    const results = [];
    for (const engine of ENGINES) {
      // plaintext and json touch no database: they run on the SQLite servers.
      const wanted = cases.filter((name) => name.endsWith(`-${engine}`) || (engine === 'sqlite' && !ENGINES.some((e) => name.endsWith(`-${e}`))));
      if (wanted.length === 0) continue;
      const env = fixtureEnvironment(engine);
      const target = parseDatabase(env);
      try {
        await createFixture(target);
      } catch (error) {
        if (engine !== 'postgres') throw error;
        log(`skipping the PostgreSQL cases: cannot reach ${env.TE_DATABASE} (${error instanceof Error ? error.message : String(error)})`);
        continue;
      }
      try {
        results.push(...(await runEngine({ engine, env, cases: wanted, config, loadGenerator, log })));
      } finally {
        await removeFixtureFiles(target);
      }
    }
    return results;
  },
};

async function runEngine({ engine, env, cases, config, loadGenerator, log }) {
  const atrium = await startServer({ name: 'atrium', script: join(apps, 'techempower-atrium', 'server.mjs'), env, readyPath: '/plaintext' });
  let baseline;
  try {
    baseline = await startServer({ name: 'baseline', script: join(apps, 'techempower-baseline.mjs'), env, readyPath: '/plaintext' });
    log(`${engine}: atrium at ${atrium.url} (pid ${atrium.pid}), hand-written baseline at ${baseline.url} (pid ${baseline.pid}); load: ${loadGenerator}`);
    const results = [];
    for (const name of cases) {
      const test = name.replace(/^te-/, '').replace(/-(sqlite|postgres)$/, '');
      await checkResponses(test, atrium, baseline);
      const { path } = TECHEMPOWER_CASES[test];
      const target = TARGETS[test] ?? DEFAULT_TARGET;
      const warmed = { ...config, warmupSec: Math.max(config.warmupSec, MIN_WARMUP_SEC) };
      results.push({ ...(await measureHttpCase({ name, path, subject: atrium, baseline, config: warmed, tool: loadGenerator, log, target })), engine, path });
    }
    return results;
  } finally {
    await Promise.all([atrium.stop(), baseline?.stop()]);
  }
}
