import { caseContext } from './lib/orm-cases.mjs';
import { openDatabase } from './lib/orm-fixture.mjs';
const orm = await import('@atrium/orm');
const testing = await import('@atrium/orm/testing');
const kysely = await import('kysely');
const { fullPlan, hydrateRows } = await import('../packages/orm/dist/query/hydrate.js');
const db = await openDatabase('sqlite', { orm, testing, kysely, url: '' });
const ctx = caseContext(db, orm);
const rows = await db.raw.selectFrom('bench_author').selectAll().where('id', '<=', 100).execute();
const prow = await db.raw.selectFrom('bench_post').selectAll().where('id', '<=', 100).execute();
const plan = fullPlan(db.Author, 'sqlite');
const pplan = fullPlan(db.Post, 'sqlite');
const variants = {
  ormAuthors: () => hydrateRows(plan, rows, 'default'),
  rawAuthors: () => rows.map(ctx.map.toAuthor),
  ormPosts: () => hydrateRows(pplan, prow, 'default'),
  rawPosts: () => prow.map(ctx.map.toPost),
  sqlAuthors: () => orm.connection().sqlite.prepare('select * from bench_author where id <= 100').all(),
};
const res = {};
for (let r = 0; r < 15; r++) for (const [k, f] of Object.entries(variants)) {
  const c = process.cpuUsage(); for (let i = 0; i < 2000; i++) f(); const u = process.cpuUsage(c);
  (res[k] ??= []).push((u.user + u.system) / 2000);
}
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(12), v.sort((a, b) => a - b)[7].toFixed(1), 'µs');
await db.teardown();
