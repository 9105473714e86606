// usage: node loop.mjs <engine> <case> <side> <seconds>
import { caseContext, ORM_CASES } from '/work/main/bench/lib/orm-cases.mjs';
import { openDatabase } from '/work/main/bench/lib/orm-fixture.mjs';
const [engine = 'sqlite', name = 'get-pk', side = 'subject', seconds = '3'] = process.argv.slice(2);
const orm = await import('@atrium/orm');
const testing = await import('@atrium/orm/testing');
const kysely = await import('kysely');
const db = await openDatabase(engine, { orm, testing, kysely, url: 'postgres://postgres@127.0.0.1:5432/test' });
const ctx = caseContext(db, orm);
const spec = ORM_CASES[name];
if (spec.prepare) ctx.prepared = await spec.prepare(ctx);
const end = Date.now() + Number(seconds) * 1000;
let i = 0; let t = 0n;
while (Date.now() < end) {
  const input = spec.input ? spec.input() : undefined;
  const s = process.hrtime.bigint();
  await spec[side](ctx, i++, input);
  t += process.hrtime.bigint() - s;
  if (spec.cleanup) await spec.cleanup(ctx);
}
console.log(`${name} ${engine} ${side}: ${i} ops, ${(Number(t) / 1e3 / i).toFixed(1)} µs/op`);
await db.teardown();
