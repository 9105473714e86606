#!/usr/bin/env node
// Run Atrium's benchmarks: `npm run bench` runs every suite in bench/suites,
// `npm run bench -- NAME...` only the suites or cases named. Progress goes to
// stderr; the summary table and the BENCH lines go to stdout, and everything
// is written to bench/results/latest.json.
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readConfig } from './lib/config.mjs';
import { describeMachine, sampleBusyShare } from './lib/machine.mjs';
import { canPin } from './lib/pinning.mjs';
import { detectLoadGenerator, loadGeneratorVersion } from './lib/load-generator.mjs';
import { formatBenchLine, formatSummary, meetsTarget, writeResults } from './lib/report.mjs';
import { assertSuite, selectBenchmarks } from './lib/select.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const RESULTS_FILE = join(here, 'results', 'latest.json');
// Above this share of busy CPU before the run, other work is competing with the benchmark.
const BUSY_WARNING = 0.1;

const log = (line) => process.stderr.write(`${line}\n`);

async function discoverSuites() {
  const dir = join(here, 'suites');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.mjs')).sort();
  const suites = [];
  for (const file of files) {
    const mod = await import(pathToFileURL(join(dir, file)).href);
    suites.push(assertSuite(mod.default, `bench/suites/${file}`));
  }
  return suites;
}

function usage(suites) {
  const lines = suites.map((s) => `  ${s.name.padEnd(8)} ${s.cases.join(', ')}${s.description ? `  — ${s.description}` : ''}`);
  return [
    'Usage: npm run bench [-- NAME...]   (NAME: a suite or a case; none runs all)',
    '',
    'Suites and cases:',
    ...lines,
    '',
    'Environment: BENCH_PAIRS (5, min 5), BENCH_DURATION (3 s), BENCH_WARMUP (1 s), BENCH_CONNECTIONS (64),',
    '             BENCH_LOAD_GENERATOR (wrk|autocannon), BENCH_STRICT=1 (exit 1 when a target is missed)',
  ].join('\n');
}

async function main() {
  const argv = process.argv.slice(2);
  const suites = await discoverSuites();
  if (argv.includes('--help') || argv.includes('-h') || argv.includes('--list')) {
    console.log(usage(suites));
    return 0;
  }
  const flags = argv.filter((a) => a.startsWith('-'));
  if (flags.length > 0) throw new RangeError(`Unknown option(s) ${flags.join(' ')}; benchmarks are tuned with BENCH_* variables:\n${usage(suites)}`);

  const selected = selectBenchmarks(suites, argv);
  const config = readConfig();
  const needsLoad = selected.some(({ suite }) => suite.usesLoadGenerator !== false);
  const loadGenerator = needsLoad ? detectLoadGenerator(config.loadGenerator) : null;
  const machine = {
    ...describeMachine(),
    loadGenerator: needsLoad ? loadGeneratorVersion(loadGenerator) : null,
    pinned: canPin(),
    busyShareBefore: Number((await sampleBusyShare()).toFixed(3)),
  };
  log(`machine: ${machine.nproc} cores, ${machine.cpuModel}, node ${machine.node}, load generator: ${machine.loadGenerator ?? 'none needed'}`);
  if (!machine.pinned) log('warning: taskset or a second core is missing; servers and load generator are NOT pinned, expect noisier numbers');
  if (machine.busyShareBefore > BUSY_WARNING) {
    log(`warning: the machine was ${(machine.busyShareBefore * 100).toFixed(0)}% busy before the run; other work makes these numbers noisy`);
  }

  const results = [];
  const failures = [];
  for (const { suite, cases } of selected) {
    log(`\n== ${suite.name}: ${cases.join(', ')}`);
    try {
      results.push(...(await suite.run({ cases, config, loadGenerator, log })));
    } catch (error) {
      failures.push({ suite: suite.name, error: error instanceof Error ? error.message : String(error) });
      log(`suite ${suite.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  machine.busyShareAfter = Number((await sampleBusyShare()).toFixed(3));

  if (results.length > 0) console.log(`\n${formatSummary(results)}\n`);
  for (const result of results) console.log(formatBenchLine(result));
  await writeResults(RESULTS_FILE, { machine, config, results, failures });
  log(`\nresults written to ${RESULTS_FILE}`);

  if (failures.length > 0) {
    log(`${failures.length} suite(s) failed: ${failures.map((f) => f.suite).join(', ')}`);
    return 1;
  }
  const missed = results.filter((r) => !meetsTarget(r));
  if (missed.length > 0) log(`${missed.length} case(s) missed their target: ${missed.map((r) => r.name).join(', ')}`);
  return config.strict && missed.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    log(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  },
);
