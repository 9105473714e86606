import { caseContext, ORM_CASES } from './lib/orm-cases.mjs';
import { openDatabase } from './lib/orm-fixture.mjs';
import { forceGc } from './lib/force-gc.mjs';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
const [engine = 'sqlite', name = 'prefetch-100x10', ops = '30', rounds = '20'] = process.argv.slice(2);
const orm = await import('@atrium/orm');
const testing = await import('@atrium/orm/testing');
const kysely = await import('kysely');
const db = await openDatabase(engine, { orm, testing, kysely, url: 'postgres://postgres@127.0.0.1:5432/test' });
const ctx = caseContext(db, orm);
const spec = ORM_CASES[name];
if (spec.prepare) ctx.prepared = await spec.prepare(ctx);
const session = new Session(); session.connect();
await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: 50 });
for (let i = 0; i < 100; i++) { await spec.subject(ctx, i, spec.input?.()); if (spec.cleanup) await spec.cleanup(ctx); await spec.baseline(ctx, i, spec.input?.()); if (spec.cleanup) await spec.cleanup(ctx); }
await session.post('Profiler.start');
const windows = { subject: [], baseline: [] };
const cpu = { subject: 0, baseline: 0 };
let i = 0;
for (let r = 0; r < Number(rounds); r++) for (const side of ['subject', 'baseline']) {
  forceGc();
  const c = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let n = 0; n < Number(ops); n++) { await spec[side](ctx, i + n, spec.input?.()); }
  windows[side].push([Number(t0 / 1000n), Number(process.hrtime.bigint() / 1000n)]);
  const u = process.cpuUsage(c); cpu[side] += u.user + u.system;
  if (side === 'baseline') i += Number(ops);
}
const { profile } = await session.post('Profiler.stop');
console.log('cpu µs/op', (cpu.subject / i).toFixed(1), (cpu.baseline / i).toFixed(1), 'ratio', (cpu.subject / cpu.baseline).toFixed(3));
// attribute samples to windows
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
let t = profile.startTime;
const self = { subject: new Map(), baseline: new Map() }; const tot = { subject: 0, baseline: 0 };
const key = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/.*\/(node_modules|packages|bench)\//, '')}:${n.callFrame.lineNumber + 1}`;
for (let k = 0; k < profile.samples.length; k++) {
  t += profile.timeDeltas[k];
  const dt = profile.timeDeltas[k + 1] ?? 0;
  for (const side of ['subject', 'baseline']) {
    if (windows[side].some(([a, b]) => t >= a && t <= b)) {
      const n = byId.get(profile.samples[k]); const kk = key(n);
      self[side].set(kk, (self[side].get(kk) ?? 0) + dt); tot[side] += dt;
    }
  }
}
console.log('sampled µs', tot.subject, tot.baseline);
for (const side of ['subject', 'baseline']) {
  console.log(`\n== ${side} (per op µs)`);
  for (const [k, v] of [...self[side]].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log((v / i).toFixed(1).padStart(8), k);
}
await db.teardown();
