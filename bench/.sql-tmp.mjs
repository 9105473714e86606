import { caseContext, ORM_CASES } from './lib/orm-cases.mjs';
import { openDatabase } from './lib/orm-fixture.mjs';
const orm = await import('@atrium/orm');
const testing = await import('@atrium/orm/testing');
const kysely = await import('kysely');
const db = await openDatabase('sqlite', { orm, testing, kysely, url: '' });
const { Post } = db;
const qs = Post.objects.filter({ views: { gte: 500, lt: 600 } }).orderBy('id');
console.log(qs.toSql());
const b = db.raw.selectFrom('bench_post').selectAll().where('views', '>=', 500).where('views', '<', 600).orderBy('id').compile();
console.log(b.sql);
const sqlite = orm.connection().sqlite;
for (const s of [qs.toSql().sql, b.sql]) {
  console.log(sqlite.prepare('explain query plan ' + s).all(500, 600));
  const st = sqlite.prepare(s);
  let t = process.hrtime.bigint();
  for (let i = 0; i < 5000; i++) st.all(500 + (i % 100), 600 + (i % 100));
  console.log(Number(process.hrtime.bigint() - t) / 5000 / 1000, 'µs');
}
