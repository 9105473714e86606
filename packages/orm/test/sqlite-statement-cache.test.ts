// The SQLite prepared-statement cache (db/sqlite-statement-cache.ts) and
// the statement counting done by the connection wrapper (db/context-dialect.ts).
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ImproperlyConfigured } from '@atrium/core';
import { closeDatabases, configureDatabases, connection } from '../src/db/connections.js';
import { captureQueries, queryCount } from '../src/db/query-counter.js';
import { StatementCache } from '../src/db/sqlite-statement-cache.js';
import { atomic } from '../src/db/transaction.js';
import { sql } from 'kysely';

describe('StatementCache', () => {
  const open = () => {
    const database = new Database(':memory:');
    database.exec('create table t (id integer primary key, a text)');
    database.exec("insert into t (a) values ('x'), ('y')");
    return database;
  };

  it('prepares a SQL text once and hands back the same statement', () => {
    const cache = new StatementCache(open(), 10);
    const first = cache.prepare('select * from t where id = ?');
    expect(cache.prepare('select * from t where id = ?')).toBe(first);
    expect(first.get(2)).toEqual({ id: 2, a: 'y' });
    expect(cache.prepare('select a from t')).not.toBe(first);
  });

  it('drops the least recently used statement past its size', () => {
    const cache = new StatementCache(open(), 2);
    const one = cache.prepare('select 1');
    const two = cache.prepare('select 2');
    expect(cache.prepare('select 1')).toBe(one); // now the most recent
    cache.prepare('select 3'); // evicts 'select 2'
    expect(cache.prepare('select 1')).toBe(one);
    expect(cache.prepare('select 2')).not.toBe(two);
  });

  it('gives a statement used since the last eviction scan a second chance, and stays within its size', () => {
    const cache = new StatementCache(open(), 3);
    const [one, two, three] = ['select 1', 'select 2', 'select 3'].map((text) => cache.prepare(text));
    cache.prepare('select 1');
    cache.prepare('select 3');
    cache.prepare('select 4'); // 'select 2', the one not used again, goes
    expect(cache.prepare('select 1')).toBe(one);
    expect(cache.prepare('select 3')).toBe(three);
    expect(cache.prepare('select 2')).not.toBe(two); // prepared again; evicts one of the others
  });

  it('drops the oldest statement when every one was used since the last scan', () => {
    const cache = new StatementCache(open(), 2);
    const [a, b] = ['select 1', 'select 2'].map((text) => cache.prepare(text));
    cache.prepare('select 2');
    cache.prepare('select 1');
    cache.prepare('select 3'); // both marked: marks cleared, 'select 1' (oldest) goes
    expect(cache.prepare('select 2')).toBe(b);
    expect(cache.prepare('select 1')).not.toBe(a);
  });

  it('hands prepareIdle() callers the statement of the last text again, and not once it was evicted', () => {
    const cache = new StatementCache(open(), 2);
    const one = cache.prepareIdle('select 1');
    expect(cache.prepareIdle('select 1')).toBe(one);
    cache.prepare('select 2');
    cache.prepare('select 3'); // 'select 1' was used: 'select 2' goes
    // Found as the last one handed out, and marked used as a Map hit would be.
    expect(cache.prepareIdle('select 1')).toBe(one);
    cache.prepare('select 4'); // 'select 1' was used again: 'select 3' goes
    cache.prepare('select 5'); // 'select 1', not used since, goes
    const again = cache.prepareIdle('select 1');
    expect(again).not.toBe(one);
    expect(again.get()).toEqual({ 1: 1 });
    expect(cache.prepareIdle('select 1')).toBe(again);
  });

  it('prepares every time with size 0', () => {
    const cache = new StatementCache(open(), 0);
    expect(cache.prepare('select 1')).not.toBe(cache.prepare('select 1'));
  });

  it('does not hand out a statement that is still being iterated', () => {
    const cache = new StatementCache(open(), 10);
    const streaming = cache.prepare('select a from t order by id');
    const iterator = streaming.iterate();
    expect(iterator.next().value).toEqual({ a: 'x' });
    const other = cache.prepare('select a from t order by id');
    expect(other).not.toBe(streaming);
    expect(other.all()).toEqual([{ a: 'x' }, { a: 'y' }]);
    iterator.return?.();
    expect(cache.prepare('select a from t order by id')).toBe(streaming);
  });

  it('sees schema changes through a cached statement', () => {
    const database = open();
    const cache = new StatementCache(database, 10);
    expect(cache.prepare('select * from t where id = 1').get()).toEqual({ id: 1, a: 'x' });
    database.exec("alter table t add column b text default 'z'");
    expect(cache.prepare('select * from t where id = 1').get()).toEqual({ id: 1, a: 'x', b: 'z' });
  });
});

describe('SQLite connections', () => {
  afterEach(() => closeDatabases(['cachetest']));

  it('refuse a negative statementCacheSize at start-up', () => {
    expect(() => configureDatabases({ cachetest: { ENGINE: 'sqlite', NAME: ':memory:', OPTIONS: { statementCacheSize: -1 } } }, process.cwd())).toThrow(ImproperlyConfigured);
  });

  it.each([0, 100])('run statements with statementCacheSize %i, counting each successful one once', async (size) => {
    configureDatabases({ cachetest: { ENGINE: 'sqlite', NAME: ':memory:', OPTIONS: { statementCacheSize: size } } }, process.cwd());
    const { kysely } = connection('cachetest');
    await sql`create table c (id integer primary key, v text not null)`.execute(kysely);
    const before = queryCount('cachetest');
    const { queries } = await captureQueries(async () => {
      for (const v of ['a', 'b', 'c']) await kysely.insertInto('c').values({ v }).execute();
      await atomic(() => kysely.insertInto('c').values({ v: 'd' }).execute(), { using: 'cachetest' });
      // A failing statement is not counted (nor captured).
      await expect(kysely.insertInto('c').values({ v: null }).execute()).rejects.toThrow();
    });
    expect(queryCount('cachetest') - before).toBe(4);
    expect(queries.map((q) => q.sql)).toEqual(Array(4).fill('insert into "c" ("v") values (?)'));
    expect(queries.map((q) => q.parameters)).toEqual([['a'], ['b'], ['c'], ['d']]);
    expect(queries.every((q) => q.durationMs >= 0)).toBe(true);
    expect((await kysely.selectFrom('c').select('v').orderBy('id').execute()).map((r) => r.v)).toEqual(['a', 'b', 'c', 'd']);
  });
});
