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
import { openDatabase } from '../lib/orm-fixture.mjs';
import { median } from '../lib/stats.mjs';

const ENGINES = ['sqlite', 'postgres'];
const TARGETS = { read: 1.15, write: 1.3 };
// Aim each measured run at this long: many ops for reads, one or a few for writes.
const RUN_MS = 300;
// More pairs than the HTTP suite's default: in-process runs are short and cheap.
const MIN_PAIRS = 7;
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
      log(`  ${engine}: seeded (temporary ${engine === 'sqlite' ? 'in-memory database' : 'schema'})`);
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

  const ops = await calibrate(spec, ctx);
  log(`  ${name}: ${ops} op(s) per run`);
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
    metric: (run) => run.msPerOp,
    onRun: ({ phase, side, index, run }) =>
      log(`  ${phase === 'warmup' ? 'warm-up ' : `pair ${index + 1} `}${side === 'subject' ? 'atrium' : 'kysely'} ${formatMs(run.msPerOp)}/op`),
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
    unit: 'ms/op',
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
async function calibrate(spec, ctx) {
  let ops = 1;
  for (;;) {
    const run = await timeRun(spec.subject, spec, ctx, 0, ops);
    if (run.msPerOp * ops >= RUN_MS / 4 || ops >= 100_000) return Math.max(1, Math.round(RUN_MS / run.msPerOp));
    ops *= 4;
  }
}

/**
 * Run `ops` operations from op number `firstOp` and time them. Inputs are
 * built and cleanup runs outside the clock; garbage left by the previous
 * run is collected first.
 */
async function timeRun(fn, spec, ctx, firstOp, ops) {
  forceGc();
  let elapsed = 0n;
  if (!spec.input && !spec.cleanup) {
    const start = process.hrtime.bigint();
    for (let k = 0; k < ops; k++) await fn(ctx, firstOp + k);
    elapsed = process.hrtime.bigint() - start;
  } else {
    for (let k = 0; k < ops; k++) {
      const input = spec.input ? spec.input() : undefined;
      const start = process.hrtime.bigint();
      await fn(ctx, firstOp + k, input);
      elapsed += process.hrtime.bigint() - start;
      if (spec.cleanup) await spec.cleanup(ctx);
    }
  }
  const totalMs = Number(elapsed) / 1e6;
  return { msPerOp: totalMs / ops, ops, totalMs };
}

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
