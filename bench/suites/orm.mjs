// Atrium's ORM against raw Kysely over the same driver handle, in this
// process: time per operation through the ORM over time per operation
// through Kysely, for reads (get by pk, a filtered page, a foreign-key join,
// a reverse prefetch) and writes (bulk insert, a transaction of updates), on
// SQLite and on PostgreSQL. Both sides must produce the same typed objects;
// each case is checked before it is timed.
import { deepStrictEqual } from 'node:assert/strict';
import { alternate } from '../lib/alternate.mjs';
import { forceGc } from '../lib/force-gc.mjs';
import { caseContext, ORM_CASES } from '../lib/orm-cases.mjs';
import { openDatabase, sqliteOptions } from '../lib/orm-fixture.mjs';
import { median } from '../lib/stats.mjs';

const ENGINES = ['sqlite', 'postgres'];
const TARGETS = { read: 1.15, write: 1.3 };
// Aim each measured run at this long: many ops for reads, one or a few for writes.
// Short runs and many pairs: on a shared machine, the shorter a pair, the likelier
// both of its halves see the same neighbours.
const RUN_MS = 150;
const MIN_PAIRS = 15;
/**
 * What a run's time is. SQLite runs inside this thread (better-sqlite3 is
 * synchronous), so this process's CPU time is the whole cost of an op, and
 * unlike wall-clock time it does not count the moments the scheduler gave
 * the core to another process. PostgreSQL does half the work in the server
 * process, so there only wall-clock time covers it.
 */
const METRIC = { sqlite: 'cpu', postgres: 'wall' };
const POSTGRES_URL = process.env.ATRIUM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const caseName = (suffix, engine) => `orm-${suffix}-${engine}`;

export default {
  name: 'orm',
  description: 'ORM vs raw Kysely on the same driver (time per op), SQLite and PostgreSQL',
  cases: ENGINES.flatMap((engine) => Object.keys(ORM_CASES).map((suffix) => caseName(suffix, engine))),
  usesLoadGenerator: false,
  async run({ cases, config, log }) {
    // Imported here, not at the top, so that the other suites still run while the ORM is not built.
    const orm = await import('@atrium/orm');
    const testing = await import('@atrium/orm/testing');
    const kysely = await import('kysely');
    const results = [];
    for (const engine of ENGINES) {
      const selected = Object.keys(ORM_CASES).filter((suffix) => cases.includes(caseName(suffix, engine)));
      if (selected.length === 0) continue;
      const db = await openDatabase(engine, { orm, testing, kysely, url: POSTGRES_URL });
      if (db.skipped) {
        log(`  PostgreSQL unreachable at ${redact(POSTGRES_URL)} (${db.skipped}): skipping ${selected.map((s) => caseName(s, engine)).join(', ')}`);
        continue;
      }
      const cacheNote = engine === 'sqlite' && sqliteOptions().statementCacheSize === 0 ? ', ORM statement cache off' : '';
      log(`  ${engine}: seeded (temporary ${engine === 'sqlite' ? 'in-memory database' : 'schema'}${cacheNote})`);
      try {
        for (const suffix of selected) results.push(await measureCase(suffix, engine, caseContext(db, orm), config, log));
      } finally {
        await db.teardown();
      }
    }
    return results;
  },
};

async function measureCase(suffix, engine, ctx, config, log) {
  const name = caseName(suffix, engine);
  const spec = ORM_CASES[suffix];
  if (spec.prepare) ctx.prepared = await spec.prepare(ctx);
  await checkCase(name, spec, ctx);

  const metric = METRIC[engine];
  const ops = await calibrate(spec, ctx, metric);
  log(`  ${name}: ${ops} op(s) per run, ${metric === 'cpu' ? 'process CPU time' : 'wall-clock time'} per op`);
  // The two runs of a pair work on the same rows; the next pair moves on.
  let firstOp = ops;
  const outcome = await alternate({
    pairs: Math.max(config.pairs, MIN_PAIRS),
    runSubject: () => timeRun(spec.subject, spec, ctx, firstOp, ops),
    runBaseline: async () => {
      const run = await timeRun(spec.baseline, spec, ctx, firstOp, ops);
      firstOp += ops;
      return run;
    },
    metric: (run) => run[metric],
    onRun: ({ phase, side, index, run }) =>
      log(`  ${phase === 'warmup' ? 'warm-up ' : `pair ${index + 1} `}${side === 'subject' ? 'atrium' : 'kysely'} ${formatMs(run[metric])}/op (${metric === 'cpu' ? `wall ${formatMs(run.wall)}` : `cpu ${formatMs(run.cpu)}`})`),
  });
  log(`  ${name}: pairwise ratios ${outcome.ratios.map((r) => r.toFixed(3)).join(' ')} -> median ${outcome.ratio.toFixed(3)}`);
  return {
    name,
    ratio: outcome.ratio,
    target: TARGETS[spec.kind],
    direction: 'lower',
    subject: `${formatMs(median(outcome.subjectValues))}/op`,
    baseline: `${formatMs(median(outcome.baselineValues))}/op`,
    spread: outcome.spread,
    pairs: outcome.ratios.map((ratio, i) => ({ subject: outcome.subjectRuns[i], baseline: outcome.baselineRuns[i], ratio })),
    unit: metric === 'cpu' ? 'ms of process CPU time per op' : 'ms of wall-clock time per op',
  };
}

/** Refuse to time a case whose two sides disagree: a fast wrong answer is no result. */
async function checkCase(name, spec, ctx) {
  const outputs = {};
  for (const side of ['subject', 'baseline']) {
    const input = spec.input ? spec.input() : undefined;
    const result = await spec[side](ctx, 0, input);
    const length = Array.isArray(result) ? result.length : 1;
    if (spec.expectLength !== undefined && length !== spec.expectLength) {
      throw new Error(`Case '${name}': the ${side === 'subject' ? 'Atrium' : 'Kysely'} side returned ${length} rows; expected ${spec.expectLength}`);
    }
    outputs[side] = await spec.normalise(result, side, ctx);
    if (spec.cleanup) await spec.cleanup(ctx);
  }
  try {
    deepStrictEqual(outputs.subject, outputs.baseline);
  } catch (error) {
    throw new Error(`Case '${name}': Atrium and Kysely results differ, so the case is not comparable:\n${error.message.slice(0, 2_000)}`);
  }
}

/** Ops per run so that a run of the Atrium side takes about RUN_MS (the JIT warms up on the way). */
async function calibrate(spec, ctx, metric) {
  let ops = 1;
  for (;;) {
    const run = await timeRun(spec.subject, spec, ctx, 0, ops);
    if (run[metric] * ops >= RUN_MS / 4 || ops >= 100_000) return Math.max(1, Math.round(RUN_MS / run[metric]));
    ops *= 4;
  }
}

/**
 * Run `ops` operations from op number `firstOp`; return wall-clock and
 * process CPU milliseconds per op. Inputs are built and cleanup runs
 * outside the clocks; garbage left by the previous run is collected first.
 */
async function timeRun(fn, spec, ctx, firstOp, ops) {
  forceGc();
  let wall = 0n;
  let cpu = 0;
  if (!spec.input && !spec.cleanup) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let k = 0; k < ops; k++) await fn(ctx, firstOp + k);
    wall = process.hrtime.bigint() - start;
    cpu = cpuMicros(process.cpuUsage(cpuStart));
  } else {
    for (let k = 0; k < ops; k++) {
      const input = spec.input ? spec.input() : undefined;
      const cpuStart = process.cpuUsage();
      const start = process.hrtime.bigint();
      await fn(ctx, firstOp + k, input);
      wall += process.hrtime.bigint() - start;
      cpu += cpuMicros(process.cpuUsage(cpuStart));
      if (spec.cleanup) await spec.cleanup(ctx);
    }
  }
  return { wall: Number(wall) / 1e6 / ops, cpu: cpu / 1e3 / ops, ops };
}

const cpuMicros = (usage) => usage.user + usage.system;

function formatMs(ms) {
  return ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`;
}

function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}
