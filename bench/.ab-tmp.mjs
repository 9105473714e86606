import { caseContext, ORM_CASES } from './lib/orm-cases.mjs';
import { openDatabase } from './lib/orm-fixture.mjs';
import { forceGc } from './lib/force-gc.mjs';
const engine = process.argv[2] ?? 'sqlite';
const orm = await import('@atrium/orm');
const testing = await import('@atrium/orm/testing');
const kysely = await import('kysely');
const db = await openDatabase(engine, { orm, testing, kysely, url: 'postgres://postgres@127.0.0.1:5432/test' });
const ctx = caseContext(db, orm);
const { Post, Author } = db;
const spec = ORM_CASES['prefetch-100x10'];
const low = (i) => 1 + ((i * 7919) % 900);
const { setRelated } = await import('../packages/orm/dist/relations/relation-cache.js');
const { prefetchRelated } = await import('../packages/orm/dist/relations/prefetch.js');
const ids = (i) => Array.from({ length: 100 }, (_, k) => low(i) + k);
const variants = {
  ormP: (i) => Author.objects.filter({ id: { gte: low(i), lt: low(i) + 100 } }).orderBy('id'),
  rawP: async (i) => (await db.raw.selectFrom('bench_author').selectAll().where('id', '>=', low(i)).where('id', '<', low(i) + 100).orderBy('id').execute()).map(ctx.map.toAuthor),
  ormC: (i) => Post.objects.filter({ authorId: { in: ids(i) } }),
  rawC: async (i) => (await db.raw.selectFrom('bench_post').selectAll().where('author_id', 'in', ids(i)).execute()).map(ctx.map.toPost),

  manualSet: async (i) => {
    const authors = await Author.objects.filter({ id: { gte: low(i), lt: low(i) + 100 } }).orderBy('id');
    const posts = await Post.objects.filter({ authorId: { in: authors.map((a) => a.id) } });
    const m = new Map(); const byId = new Map(); for (const a of authors) { m.set(String(a.id), []); byId.set(String(a.id), a); }
    for (const p of posts) { const k = String(p.authorId); m.get(k).push(p); setRelated(p, 'author', byId.get(k)); }
    for (const a of authors) setRelated(a, 'posts', m.get(String(a.id)));
    return authors;
  },
  pr: async (i) => {
    const authors = await Author.objects.filter({ id: { gte: low(i), lt: low(i) + 100 } }).orderBy('id');
    await prefetchRelated(Author, authors, ['posts'], 'default');
    return authors;
  },
  orm: (i) => spec.subject(ctx, i),
  raw: (i) => spec.baseline(ctx, i),
  manual: async (i) => {
    const authors = await Author.objects.filter({ id: { gte: low(i), lt: low(i) + 100 } }).orderBy('id');
    const posts = await Post.objects.filter({ authorId: { in: authors.map((a) => a.id) } });
    const m = new Map(); for (const a of authors) m.set(a.id, []); for (const p of posts) m.get(p.authorId).push(p);
    return authors;
  },
  twoRaw: async (i) => {
    const authors = (await db.raw.selectFrom('bench_author').selectAll().where('id', '>=', low(i)).where('id', '<', low(i) + 100).orderBy('id').execute()).map(ctx.map.toAuthor);
    const posts = (await db.raw.selectFrom('bench_post').selectAll().where('author_id', 'in', authors.map((a) => a.id)).execute()).map(ctx.map.toPost);
    const m = new Map(); for (const a of authors) m.set(a.id, []); for (const p of posts) m.get(p.authorId).push(p);
    return authors;
  },
};
const only = process.argv.slice(3);
import { PerformanceObserver } from 'node:perf_hooks';
let gcMs = 0; let gcCount = 0; const kinds = {};
new PerformanceObserver((list) => { for (const e of list.getEntries()) { gcMs += e.duration; gcCount++; kinds[e.detail?.kind] = (kinds[e.detail?.kind] ?? 0) + 1; } }).observe({ entryTypes: ['gc'] });
const gcStats = {};
const res = {};
let i = 0;
for (let r = 0; r < 25; r++) for (const [k, f] of Object.entries(variants)) {
  if (only.length && !only.includes(k)) continue;
  forceGc();
  await new Promise((r) => setTimeout(r, 5));
  const g0 = gcMs, c0 = gcCount;
  const c = process.cpuUsage(); for (let n = 0; n < 30; n++) await f(i + n); const u = process.cpuUsage(c);
  await new Promise((r) => setTimeout(r, 1));
  (gcStats[k] ??= []).push([gcMs - g0, gcCount - c0]);
  if (r > 2) (res[k] ??= []).push((u.user + u.system) / 30);
  if (k === Object.keys(variants).at(-1)) i += 30;
}
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(8), v.sort((a, b) => a - b)[v.length >> 1].toFixed(1), "median", v[0].toFixed(1), "min");
for (const [k, v] of Object.entries(gcStats)) { const ms = v.map((x) => x[0]).sort((a, b) => a - b); const n = v.map((x) => x[1]).sort((a, b) => a - b); console.log('gc', k, 'ms/run median', ms[ms.length >> 1].toFixed(2), 'count median', n[n.length >> 1]); }
console.log(kinds);
await db.teardown();
