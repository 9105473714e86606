// TechEmpower plaintext and json: Atrium's node:http server against bare
// node:http, both on the server core, loaded from the load core, alternating
// runs; the figure is the median of pairwise req/s ratios.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate } from '../lib/alternate.mjs';
import { runLoad } from '../lib/load-generator.mjs';
import { fetchOnce, startServer } from '../lib/spawn-server.mjs';
import { median, medianOfPairwiseRatios } from '../lib/stats.mjs';
import { headerDifferences, TECHEMPOWER_CASES, techEmpowerProblems } from '../lib/techempower.mjs';

const apps = join(dirname(fileURLToPath(import.meta.url)), '..', 'apps');
const TARGET = 0.9;

export default {
  name: 'http',
  description: 'TechEmpower plaintext/json: Atrium vs raw node:http (req/s)',
  cases: ['plaintext', 'json'],
  async run({ cases, config, loadGenerator, log }) {
    const atrium = await startServer({ name: 'atrium', script: join(apps, 'atrium-http.mjs'), readyPath: '/plaintext' });
    let baseline;
    try {
      baseline = await startServer({ name: 'raw-node', script: join(apps, 'raw-node.mjs'), readyPath: '/plaintext' });
      log(`atrium at ${atrium.url} (pid ${atrium.pid}), raw node:http at ${baseline.url} (pid ${baseline.pid}); load: ${loadGenerator}`);
      const results = [];
      for (const name of cases) {
        await checkResponses(name, atrium, baseline);
        results.push(await measure(name, atrium, baseline, config, loadGenerator, log));
      }
      return results;
    } finally {
      await Promise.all([atrium.stop(), baseline?.stop()]);
    }
  },
};

/** Refuse to measure a case unless both servers answer it correctly with the same headers. */
async function checkResponses(name, atrium, baseline) {
  const { path } = TECHEMPOWER_CASES[name];
  const [a, b] = await Promise.all([fetchOnce(`${atrium.url}${path}`), fetchOnce(`${baseline.url}${path}`)]);
  const problems = [
    ...techEmpowerProblems(name, a).map((p) => `atrium ${path}: ${p}`),
    ...techEmpowerProblems(name, b).map((p) => `raw-node ${path}: ${p}`),
    ...headerDifferences(a.headers, b.headers).map((d) => `header ${d} (atrium vs raw-node; make bench/apps/raw-node.mjs send what Atrium sends)`),
  ];
  if (problems.length > 0) throw new Error(`Case '${name}' is not comparable:\n  ${problems.join('\n  ')}`);
}

async function measure(name, atrium, baseline, config, tool, log) {
  const { path } = TECHEMPOWER_CASES[name];
  const load = (server) => async (phase) => {
    const cpuBefore = await server.cpuSeconds();
    const run = await runLoad({
      tool,
      url: `${server.url}${path}`,
      durationSec: phase === 'warmup' ? config.warmupSec : config.durationSec,
      connections: config.connections,
    });
    const cpuAfter = await server.cpuSeconds();
    // Server CPU per request: unlike req/s it does not depend on how much of core 0 the server got.
    run.cpuUsPerRequest = cpuBefore === null || cpuAfter === null || run.requests === 0 ? null : ((cpuAfter - cpuBefore) * 1e6) / run.requests;
    if (run.non2xx > 0) throw new Error(`${server.name} ${path}: ${run.non2xx} non-2xx responses under load; a fast error page is not a result`);
    if (run.errors > run.requests * 0.001) {
      throw new Error(`${server.name} ${path}: ${run.errors} socket errors/timeouts in ${run.requests} requests; is the server overloaded or crashing?\n${server.output}`);
    }
    return run;
  };
  const outcome = await alternate({
    pairs: config.pairs,
    runSubject: load(atrium),
    runBaseline: load(baseline),
    metric: (run) => run.requestsPerSec,
    onRun: ({ phase, side, index, run }) =>
      log(
        `  ${name} ${phase === 'warmup' ? 'warm-up ' : `pair ${index + 1} `}${side === 'subject' ? 'atrium  ' : 'raw-node'}` +
          ` ${Math.round(run.requestsPerSec).toString().padStart(7)} req/s  p50 ${run.p50Ms.toFixed(2)} ms  p99 ${run.p99Ms.toFixed(2)} ms` +
          (run.cpuUsPerRequest === null ? '' : `  server CPU ${run.cpuUsPerRequest.toFixed(1)} us/req`),
      ),
  });
  log(`  ${name}: pairwise ratios ${outcome.ratios.map((r) => r.toFixed(3)).join(' ')} -> median ${outcome.ratio.toFixed(3)}`);
  const cpuRatio = cpuEfficiencyRatio(outcome);
  if (cpuRatio !== null) log(`  ${name}: server CPU per request, raw-node over atrium (median of pairs): ${cpuRatio.toFixed(3)}`);
  return {
    name,
    ratio: outcome.ratio,
    target: TARGET,
    direction: 'higher',
    subject: `${Math.round(median(outcome.subjectValues))} req/s`,
    baseline: `${Math.round(median(outcome.baselineValues))} req/s`,
    spread: outcome.spread,
    pairs: outcome.ratios.map((ratio, i) => ({ subject: outcome.subjectRuns[i], baseline: outcome.baselineRuns[i], ratio })),
    unit: 'req/s',
    // Not the contract figure, a diagnosis: the same comparison in CPU time per request.
    cpuEfficiencyRatio: cpuRatio,
    loadGenerator: tool,
    connections: config.connections,
    durationSec: config.durationSec,
  };
}

/** Median over pairs of baseline CPU per request over Atrium's (1 = as cheap as raw node), or null without /proc. */
function cpuEfficiencyRatio(outcome) {
  const atrium = outcome.subjectRuns.map((r) => r.cpuUsPerRequest);
  const raw = outcome.baselineRuns.map((r) => r.cpuUsPerRequest);
  if ([...atrium, ...raw].some((v) => v === null || !(v > 0))) return null;
  return medianOfPairwiseRatios(raw, atrium);
}
