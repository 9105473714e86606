#!/usr/bin/env node
// Profile a benchmark case on both sides: `npm run bench:profile -- te-db-sqlite json`.
// Each server runs under `node --cpu-prof`, pinned like the benchmarks, is
// warmed up, then loaded by wrk for the measured window; only the samples of
// that window count. Writes bench/flamegraphs/<case>-atrium.svg and
// <case>-baseline.svg and prints, per side, the share of busy samples by
// category (Atrium's code, dependencies, node internals, GC) and the
// functions with the most self time.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { categoryShares, foldCpuProfile, renderFlamegraph, selfTimes } from './lib/flamegraph.mjs';
import { detectLoadGenerator, runLoad } from './lib/load-generator.mjs';
import { startServer } from './lib/spawn-server.mjs';
import { TECHEMPOWER_CASES } from './lib/techempower.mjs';
import { createFixture, fixtureEnvironment, parseDatabase, removeFixtureFiles } from './lib/techempower-fixture.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const apps = join(here, 'apps');
const OUT = join(here, 'flamegraphs');
const WARMUP_SEC = Number(process.env.BENCH_WARMUP ?? 3);
const DURATION_SEC = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const TOP = 15;

const log = (line) => process.stderr.write(`${line}\n`);

/** The two servers and the request path of a case name, or an error naming the valid ones. */
function caseSetup(name) {
  if (name === 'plaintext' || name === 'json') {
    return { path: TECHEMPOWER_CASES[name].path, engine: null, atrium: join(apps, 'atrium-http.mjs'), baseline: join(apps, 'raw-node.mjs') };
  }
  const match = /^te-(.+?)(?:-(sqlite|postgres))?$/.exec(name);
  if (!match || !Object.hasOwn(TECHEMPOWER_CASES, match[1])) {
    throw new Error(`Unknown case '${name}': use plaintext, json (the http suite's apps) or te-<test>-<sqlite|postgres> (te-db-sqlite, te-fortunes-postgres, ...)`);
  }
  const [, test, engine = 'sqlite'] = match;
  return { path: TECHEMPOWER_CASES[test].path, engine, atrium: join(apps, 'techempower-atrium', 'server.mjs'), baseline: join(apps, 'techempower-baseline.mjs') };
}

/** Run `script` under --cpu-prof, load it, and return the profile folded to the measured window. */
async function profileSide({ side, script, env, path, tool }) {
  const dir = await mkdtemp(join(tmpdir(), `atrium-prof-${side}-`));
  try {
    const server = await startServer({ name: side, script, env, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`], readyPath: path });
    let load;
    let window;
    try {
      await runLoad({ tool, url: `${server.url}${path}`, durationSec: WARMUP_SEC, connections: CONNECTIONS });
      // V8's profiler stamps samples with the monotonic clock process.hrtime reads (CLOCK_MONOTONIC on Linux).
      const fromUs = Number(process.hrtime.bigint() / 1000n);
      load = await runLoad({ tool, url: `${server.url}${path}`, durationSec: DURATION_SEC, connections: CONNECTIONS });
      window = { fromUs, toUs: Number(process.hrtime.bigint() / 1000n) };
    } finally {
      // SIGTERM: both kinds of app exit through process.exit, which writes the profile.
      await server.stop();
    }
    const files = (await readdir(dir)).filter((file) => file.endsWith('.cpuprofile'));
    if (files.length !== 1) throw new Error(`Expected one .cpuprofile from ${side} in ${dir}, found ${files.length}: did the server exit through process.exit on SIGTERM?`);
    const profile = JSON.parse(await readFile(join(dir, files[0]), 'utf8'));
    return { ...foldCpuProfile(profile, window), requestsPerSec: load.requestsPerSec };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function report(name, side, folded) {
  const { root, busy, idle } = folded;
  const shares = categoryShares(root);
  const pct = (n) => `${((100 * n) / (busy || 1)).toFixed(1)}%`;
  log(`\n${name} ${side}: ${Math.round(folded.requestsPerSec)} req/s under the profiler, ${busy} busy samples (${idle} idle)`);
  log(`  by category: ${Object.entries(shares).map(([category, n]) => `${category} ${pct(n)}`).join(', ')}`);
  for (const entry of selfTimes(root).slice(0, TOP)) log(`  ${pct(entry.self).padStart(6)}  ${entry.name}  ${entry.location}`);
}

async function main() {
  const names = process.argv.slice(2);
  if (names.length === 0) throw new Error('Name at least one case: npm run bench:profile -- te-db-sqlite [json ...]');
  const setups = names.map((name) => ({ name, ...caseSetup(name) }));
  const tool = detectLoadGenerator(process.env.BENCH_LOAD_GENERATOR ?? null);
  await mkdir(OUT, { recursive: true });
  for (const setup of setups) {
    let env = {};
    let target = null;
    if (setup.engine) {
      env = fixtureEnvironment(setup.engine);
      target = parseDatabase(env);
      await createFixture(target);
    }
    try {
      for (const [side, script] of [['atrium', setup.atrium], ['baseline', setup.baseline]]) {
        const folded = await profileSide({ side, script, env, path: setup.path, tool });
        report(setup.name, side, folded);
        const subtitle = `${setup.path} under ${tool} -c${CONNECTIONS}, ${DURATION_SEC} s after a ${WARMUP_SEC} s warm-up; ${folded.root.total} busy samples; ${new Date().toISOString().slice(0, 16)}Z, node ${process.version}`;
        const file = join(OUT, `${setup.name}-${side}.svg`);
        await writeFile(file, renderFlamegraph(folded.root, { title: `${setup.name}: ${side === 'atrium' ? 'Atrium' : 'hand-written baseline'}`, subtitle }));
        log(`  flame graph: ${file}`);
      }
    } finally {
      if (target) await removeFixtureFiles(target);
    }
  }
}

main().catch((error) => {
  log(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
