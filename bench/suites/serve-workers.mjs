// What a second worker buys: the TechEmpower Atrium project served by
// `manage serve --workers 2` against the same project under `--workers 1`,
// on json, db and fortunes (SQLite), runs alternating; the figure is the
// median of pairwise req/s ratios, two workers over one.
//
// Pinning differs from the other suites on purpose. Two workers need both
// cores, and the machine has only two, so the load generator cannot have a
// core of its own: both servers and wrk run on the same two cores (taskset
// SERVER_CPU,LOAD_CPU). That is the same condition for both sides, and it
// caps the ratio below 2: whatever CPU wrk and the kernel's loopback path
// use per request is taken from the second worker (see bench/README.md).
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkResponses, measureHttpCase } from '../lib/http-compare.mjs';
import { LOAD_CPU, SERVER_CPU } from '../lib/pinning.mjs';
import { startServer } from '../lib/spawn-server.mjs';
import { TECHEMPOWER_CASES } from '../lib/techempower.mjs';
import { createFixture, parseDatabase, removeFixtureFiles } from '../lib/techempower-fixture.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const project = join(here, '..', 'apps', 'techempower-atrium');
const manageBin = join(here, '..', '..', 'packages', 'cli', 'bin', 'manage.js');
const TESTS = ['json', 'db', 'fortunes'];
/**
 * With wrk sharing the two cores the ceiling is 2s/(s+w) for a server cost s
 * and a load-generator cost w per request; wrk costs a fraction of what a
 * worker does, so a second worker that scales should give well over 1.3.
 */
const TARGET = 1.3;
// Two workers both have to be optimised by V8 before a run means anything (see the techempower suite).
const MIN_WARMUP_SEC = 3;
const SHARED_CPUS = `${SERVER_CPU},${LOAD_CPU}`;

/** `manage serve --workers N` in the TechEmpower project, on the shared cores, ready once every worker is up. */
function startServe(workers, env) {
  return startServer({
    name: `workers-${workers}`,
    script: manageBin,
    scriptArgs: (port) => ['serve', '--workers', String(workers), '--bind', `127.0.0.1:${port}`],
    cwd: project,
    env,
    cpu: SHARED_CPUS,
    readyPath: '/plaintext',
    // The banner is printed once every worker listens; before that the first worker alone answers.
    readyOutput: new RegExp(`manage serve: ${workers} worker\\(s\\)`),
    timeoutMs: 60_000,
  });
}

export default {
  name: 'serve-workers',
  description: '`manage serve --workers 2` vs `--workers 1` on the TechEmpower project (json, db, fortunes on SQLite; req/s)',
  cases: TESTS.map((test) => `serve-workers-${test}`),
  async run({ cases, config, loadGenerator, log }) {
    const env = { TE_DATABASE: `sqlite:${join(tmpdir(), `atrium-serve-workers-${process.pid}.db`)}` };
    const target = parseDatabase(env);
    await createFixture(target);
    let one;
    let two;
    try {
      one = await startServe(1, env);
      two = await startServe(2, env);
      log(`--workers 2 at ${two.url}, --workers 1 at ${one.url}; servers and ${loadGenerator} share cores ${SHARED_CPUS}`);
      const results = [];
      for (const name of cases) {
        const test = name.slice('serve-workers-'.length);
        await checkResponses(test, two, one);
        const { path } = TECHEMPOWER_CASES[test];
        const warmed = { ...config, warmupSec: Math.max(config.warmupSec, MIN_WARMUP_SEC) };
        const result = await measureHttpCase({ name, path, subject: two, baseline: one, config: warmed, tool: loadGenerator, log, target: TARGET, loadCpu: SHARED_CPUS });
        results.push({ ...result, path, engine: 'sqlite', cpus: SHARED_CPUS });
      }
      return results;
    } finally {
      await Promise.all([one?.stop(), two?.stop()]);
      await removeFixtureFiles(target);
    }
  },
};
