import { openDatabase } from './lib/orm-fixture.mjs';
import { forceGc } from './lib/force-gc.mjs';
const orm = await import('@atrium/orm');
const testing = await import('@atrium/orm/testing');
const kysely = await import('kysely');
const { fullPlan, hydrateRows } = await import('../packages/orm/dist/query/hydrate.js');
const { setRelated } = await import('../packages/orm/dist/relations/relation-cache.js');
const { STATE } = await import('../packages/orm/dist/model/instance-state.js');
const db = await openDatabase('sqlite', { orm, testing, kysely, url: '' });
const rows = await db.raw.selectFrom('bench_post').selectAll().where('id', '<=', 1000).execute();
const plan = fullPlan(db.Post, 'sqlite');
const parent = {};
const variants = {
  hydrate: () => hydrateRows(plan, rows, 'default'),
  hydrateSet: () => { const out = hydrateRows(plan, rows, 'default'); for (const p of out) setRelated(p, 'author', parent); return out; },
  hydrateMap: () => { const out = hydrateRows(plan, rows, 'default'); for (const p of out) p[STATE].relations.set('author', parent); return out; },
  hydrateStr: () => { const out = hydrateRows(plan, rows, 'default'); let n = 0; for (const p of out) n += String(p.authorId).length; return out; },
};
const res = {};
for (let r = 0; r < 25; r++) for (const [k, f] of Object.entries(variants)) {
  forceGc();
  const c = process.cpuUsage(); for (let n = 0; n < 50; n++) f(); const u = process.cpuUsage(c);
  if (r > 2) (res[k] ??= []).push((u.user + u.system) / 50);
}
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(12), v.sort((a, b) => a - b)[v.length >> 1].toFixed(1), "median", v[0].toFixed(1), "min");
await db.teardown();
