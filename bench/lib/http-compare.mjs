// One HTTP case measured on two running servers: check both answer it the
// TechEmpower way with the same headers, then alternate load runs between
// them and report the median of the pairwise req/s ratios. Shared by the
// http and techempower suites.
import { alternate } from './alternate.mjs';
import { runLoad } from './load-generator.mjs';
import { LOAD_CPU } from './pinning.mjs';
import { fetchOnce } from './spawn-server.mjs';
import { median, medianOfPairwiseRatios } from './stats.mjs';
import { headerDifferences, TECHEMPOWER_CASES, techEmpowerProblems } from './techempower.mjs';

/** Refuse to measure a case unless both servers answer it correctly with the same headers. */
export async function checkResponses(caseName, subject, baseline) {
  const { path, variable } = TECHEMPOWER_CASES[caseName];
  const [a, b] = await Promise.all([fetchOnce(`${subject.url}${path}`), fetchOnce(`${baseline.url}${path}`)]);
  const problems = [
    ...techEmpowerProblems(caseName, a).map((p) => `${subject.name} ${path}: ${p}`),
    ...techEmpowerProblems(caseName, b).map((p) => `${baseline.name} ${path}: ${p}`),
    ...headerDifferences(a.headers, b.headers, { variableBody: variable }).map(
      (d) => `header ${d} (${subject.name} vs ${baseline.name}; make the baseline send what Atrium sends)`,
    ),
  ];
  if (problems.length > 0) throw new Error(`Case '${caseName}' is not comparable:\n  ${problems.join('\n  ')}`);
}

/**
 * Alternate load runs on `path` between `subject` (Atrium) and `baseline`
 * and return a suite result named `name`. `loadCpu` is where the load
 * generator runs; `loadScript` a wrk script that shapes the requests.
 */
export async function measureHttpCase({ name, path, subject, baseline, config, tool, log, target, loadCpu = LOAD_CPU, loadScript = null }) {
  const load = (server) => async (phase) => {
    const cpuBefore = await server.cpuSeconds();
    const run = await runLoad({
      tool,
      url: `${server.url}${path}`,
      durationSec: phase === 'warmup' ? config.warmupSec : config.durationSec,
      connections: config.connections,
      cpu: loadCpu,
      script: loadScript,
    });
    const cpuAfter = await server.cpuSeconds();
    // Server CPU per request (workers included): unlike req/s it does not depend on how much CPU the server got.
    run.cpuUsPerRequest = cpuBefore === null || cpuAfter === null || run.requests === 0 ? null : ((cpuAfter - cpuBefore) * 1e6) / run.requests;
    if (run.non2xx > 0) throw new Error(`${server.name} ${path}: ${run.non2xx} non-2xx responses under load; a fast error page is not a result\n${server.output}`);
    if (run.errors > run.requests * 0.001) {
      throw new Error(`${server.name} ${path}: ${run.errors} socket errors/timeouts in ${run.requests} requests; is the server overloaded or crashing?\n${server.output}`);
    }
    return run;
  };
  const outcome = await alternate({
    pairs: config.pairs,
    runSubject: load(subject),
    runBaseline: load(baseline),
    metric: (run) => run.requestsPerSec,
    onRun: ({ phase, side, index, run }) =>
      log(
        `  ${name} ${phase === 'warmup' ? 'warm-up ' : `pair ${index + 1} `}${(side === 'subject' ? subject.name : baseline.name).padEnd(8)}` +
          ` ${Math.round(run.requestsPerSec).toString().padStart(7)} req/s  p50 ${run.p50Ms.toFixed(2)} ms  p99 ${run.p99Ms.toFixed(2)} ms` +
          (run.cpuUsPerRequest === null ? '' : `  server CPU ${run.cpuUsPerRequest.toFixed(1)} us/req`),
      ),
  });
  log(`  ${name}: pairwise ratios ${outcome.ratios.map((r) => r.toFixed(3)).join(' ')} -> median ${outcome.ratio.toFixed(3)}`);
  const cpuRatio = cpuEfficiencyRatio(outcome);
  if (cpuRatio !== null) log(`  ${name}: server CPU per request, ${baseline.name} over ${subject.name} (median of pairs): ${cpuRatio.toFixed(3)}`);
  const medianOf = (runs, key) => median(runs.map((r) => r[key]));
  const figure = (values, runs) => `${Math.round(median(values))} req/s, p50 ${medianOf(runs, 'p50Ms').toFixed(2)} ms, p99 ${medianOf(runs, 'p99Ms').toFixed(2)} ms`;
  return {
    name,
    ratio: outcome.ratio,
    target,
    direction: 'higher',
    subject: figure(outcome.subjectValues, outcome.subjectRuns),
    baseline: figure(outcome.baselineValues, outcome.baselineRuns),
    spread: outcome.spread,
    pairs: outcome.ratios.map((ratio, i) => ({ subject: outcome.subjectRuns[i], baseline: outcome.baselineRuns[i], ratio })),
    unit: 'req/s',
    latency: {
      subjectP50Ms: medianOf(outcome.subjectRuns, 'p50Ms'),
      subjectP99Ms: medianOf(outcome.subjectRuns, 'p99Ms'),
      baselineP50Ms: medianOf(outcome.baselineRuns, 'p50Ms'),
      baselineP99Ms: medianOf(outcome.baselineRuns, 'p99Ms'),
    },
    // Not the contract figure, a diagnosis: the same comparison in CPU time per request.
    cpuEfficiencyRatio: cpuRatio,
    loadGenerator: tool,
    connections: config.connections,
    durationSec: config.durationSec,
  };
}

/** Median over pairs of baseline CPU per request over Atrium's (1 = as cheap as the baseline), or null without /proc. */
function cpuEfficiencyRatio(outcome) {
  const atrium = outcome.subjectRuns.map((r) => r.cpuUsPerRequest);
  const raw = outcome.baselineRuns.map((r) => r.cpuUsPerRequest);
  if ([...atrium, ...raw].some((v) => v === null || !(v > 0))) return null;
  return medianOfPairwiseRatios(raw, atrium);
}
