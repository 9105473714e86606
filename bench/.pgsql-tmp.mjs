import { openDatabase } from './lib/orm-fixture.mjs';
const orm = await import('@atrium/orm');
const testing = await import('@atrium/orm/testing');
const kysely = await import('kysely');
const db = await openDatabase('postgres', { orm, testing, kysely, url: 'postgres://postgres@127.0.0.1:5432/test' });
const A = kysely.CompiledQuery.raw('select "t0".* from "bench_post" as "t0" where "t0"."id" = $1 limit $2', [77, 21]);
const B = kysely.CompiledQuery.raw('select * from "bench_post" where "id" = $1', [77]);
const C = kysely.CompiledQuery.raw('select "t0".* from "bench_post" as "t0" where "t0"."id" = $1', [77]);
const ormK = orm.connection().kysely;
const res = {};
const variants = { ormSqlRaw: () => db.raw.executeQuery(A), baseSqlRaw: () => db.raw.executeQuery(B), noLimitRaw: () => db.raw.executeQuery(C), ormSqlViaOrmKysely: () => ormK.executeQuery(A), baseSqlViaOrmKysely: () => ormK.executeQuery(B) };
for (let r = 0; r < 11; r++) for (const [k, f] of Object.entries(variants)) {
  const t = process.hrtime.bigint(); for (let i = 0; i < 300; i++) await f(); (res[k] ??= []).push(Number(process.hrtime.bigint() - t) / 300 / 1000);
}
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(20), v.sort((a, b) => a - b)[5].toFixed(1), 'µs wall');
await db.teardown();
