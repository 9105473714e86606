import { caseContext, ORM_CASES } from './lib/orm-cases.mjs';
import { openDatabase } from './lib/orm-fixture.mjs';
import { forceGc } from './lib/force-gc.mjs';
const engine = process.argv[2] ?? 'sqlite';
const orm = await import('@atrium/orm');
const testing = await import('@atrium/orm/testing');
const kysely = await import('kysely');
const db = await openDatabase(engine, { orm, testing, kysely, url: 'postgres://postgres@127.0.0.1:5432/test' });
const ctx = caseContext(db, orm);
const { Post, Author, raw } = db;
const ids = Array.from({ length: 100 }, (_, i) => i + 101);
const pieces = {
  ormChildren: () => Post.objects.filter({ authorId: { in: ids } }),
  rawChildren: async () => (await raw.selectFrom('bench_post').selectAll().where('author_id', 'in', ids).execute()).map(ctx.map.toPost),
  ormParents: () => Author.objects.filter({ id: { gte: 101, lt: 201 } }).orderBy('id'),
  rawParents: async () => (await raw.selectFrom('bench_author').selectAll().where('id', '>=', 101).where('id', '<', 201).orderBy('id').execute()).map(ctx.map.toAuthor),
  ormPrefetch: () => ORM_CASES['prefetch-100x10'].subject(ctx, 3),
  rawPrefetch: () => ORM_CASES['prefetch-100x10'].baseline(ctx, 3),
  ormGet: () => Post.objects.get({ id: 77 }),
  rawGet: async () => ctx.map.toPost(await raw.selectFrom('bench_post').selectAll().where('id', '=', 77).executeTakeFirstOrThrow()),
};
const only = process.argv.slice(3);
async function time(fn, n) { forceGc(); const c = process.cpuUsage(); for (let i = 0; i < n; i++) await fn(); const u = process.cpuUsage(c); return (u.user + u.system) / n; }
for (const [name, fn] of Object.entries(pieces)) { if (only.length && !only.some((o) => name.toLowerCase().includes(o))) continue; await time(fn, 50); }
const results = {};
for (let round = 0; round < 9; round++) {
  for (const [name, fn] of Object.entries(pieces)) {
    if (only.length && !only.some((o) => name.toLowerCase().includes(o))) continue;
    const n = name.includes("Get") ? (engine === "postgres" ? 300 : 2000) : 60;
    (results[name] ??= []).push(await time(fn, n));
  }
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const [name, vals] of Object.entries(results)) console.log(name.padEnd(14), med(vals).toFixed(1), 'µs cpu');
await db.teardown();
