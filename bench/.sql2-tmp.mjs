import { openDatabase } from './lib/orm-fixture.mjs';
const orm = await import('@atrium/orm');
const testing = await import('@atrium/orm/testing');
const kysely = await import('kysely');
const db = await openDatabase('sqlite', { orm, testing, kysely, url: '' });
const { Author, Post } = db;
const a = Author.objects.filter({ id: { gte: 101, lt: 201 } }).orderBy('id').toSql();
const b = db.raw.selectFrom('bench_author').selectAll().where('id', '>=', 101).where('id', '<', 201).orderBy('id').compile();
const c = Post.objects.filter({ authorId: { in: [1,2,3] } }).toSql();
console.log(a.sql); console.log(b.sql); console.log(c.sql);
const sqlite = orm.connection().sqlite;
for (const s of [a.sql, b.sql]) console.log(sqlite.prepare('explain query plan ' + s).all(101, 201).map(r => r.detail));
console.log(sqlite.prepare('explain query plan ' + c.sql).all(1,2,3).map(r => r.detail));
console.log(sqlite.prepare("select sql from sqlite_master where tbl_name in ('bench_author','bench_post')").all());
const sa = sqlite.prepare(a.sql), sb = sqlite.prepare(b.sql);
for (let r = 0; r < 5; r++) for (const [n, st] of [['orm', sa], ['raw', sb]]) {
  const cu = process.cpuUsage(); for (let i = 0; i < 3000; i++) st.all(101 + (i % 500), 201 + (i % 500)); const u = process.cpuUsage(cu);
  console.log(n, ((u.user + u.system) / 3000).toFixed(1));
}
await db.teardown();
