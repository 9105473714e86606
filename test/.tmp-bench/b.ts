import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { configureDatabases, connection } from '@atrium/orm';
const raw = new Database(':memory:');
raw.exec('create table t (id integer primary key, name text, n integer)');
const ins = raw.prepare('insert into t (name, n) values (?, ?)');
for (let i = 0; i < 1000; i++) ins.run('x' + i, i);
const rawK = new Kysely<any>({ dialect: new SqliteDialect({ database: raw }) });
configureDatabases({ default: { ENGINE: 'sqlite', NAME: ':memory:', OPTIONS: {} } }, process.cwd());
const mine = connection().kysely;
await sql`create table t (id integer primary key, name text, n integer)`.execute(mine);
const db2 = connection().sqlite!;
const ins2 = db2.prepare('insert into t (name, n) values (?, ?)');
for (let i = 0; i < 1000; i++) ins2.run('x' + i, i);
async function bench(k: Kysely<any>, label: string, limit: number) {
  const N = 20000 / limit * 10;
  const t = performance.now();
  for (let i = 0; i < N; i++) await k.selectFrom('t').selectAll().where('id', '>', i % 500).limit(limit).execute();
  return (performance.now() - t) / N;
}
for (const limit of [1, 100]) {
  for (let r = 0; r < 3; r++) {
    const a = await bench(rawK, 'raw', limit); const b = await bench(mine, 'mine', limit);
    console.log(limit, 'raw', a.toFixed(4), 'mine', b.toFixed(4), 'ratio', (b / a).toFixed(3));
  }
}
