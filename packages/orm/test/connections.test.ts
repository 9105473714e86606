import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server, type Socket } from 'node:net';
import { sql, type CompiledQuery, type QueryResult } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { ImproperlyConfigured } from '@atrium/core';
import { closeDatabases, configureDatabases, connection, db } from '../src/db/connections.js';
import { translateDbError } from '../src/db/errors.js';
import { atomic } from '../src/db/transaction.js';
import { DatabaseUnavailable } from '../src/errors.js';
import { adminQuery, forEachDatabase, postgresAvailable, postgresSettings } from './support/databases.js';

describe('SQLite connection', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atrium-orm-'));
  afterAll(async () => {
    await closeDatabases(['file', 'mem']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens a file relative to the project root with WAL, foreign keys and a busy timeout', async () => {
    configureDatabases({ file: { ENGINE: 'sqlite', NAME: 'data/../app.sqlite3', OPTIONS: {} } }, dir);
    const { kysely, dialect, sqlite } = connection('file');
    expect(dialect).toBe('sqlite');
    expect(sqlite!.name).toBe(join(dir, 'app.sqlite3'));
    const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(kysely)).rows[0] as object)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(5000);
  });

  it('accepts :memory: and OPTIONS.busyTimeout; memory databases keep their journal mode', async () => {
    configureDatabases({ mem: { ENGINE: 'sqlite', NAME: ':memory:', OPTIONS: { busyTimeout: 1234 } } }, dir);
    const { kysely } = connection('mem');
    expect((await sql<{ timeout: number }>`pragma busy_timeout`.execute(kysely)).rows[0]).toEqual({ timeout: 1234 });
    expect((await sql<{ journal_mode: string }>`pragma journal_mode`.execute(kysely)).rows[0]!.journal_mode).toBe('memory');
  });

  it('registers REGEXP with PostgreSQL ~ semantics (unanchored, case-sensitive, NULL-propagating)', async () => {
    const { kysely } = connection('mem');
    const match = async (value: string | null, pattern: string) =>
      (await sql<{ m: number | null }>`select ${value} regexp ${pattern} as m`.execute(kysely)).rows[0]!.m;
    expect(await match('hello world', 'o w')).toBe(1);
    expect(await match('hello', '^h.l+o$')).toBe(1);
    expect(await match('Hello', '^h')).toBe(0);
    expect(await match(null, 'x')).toBeNull();
    await expect(match('x', '(unclosed')).rejects.toThrow(/invalid regular expression/);
    await expect(match('aaaaaaaaaaaaaaaaaaaaaaaaaaaa!', '(a+)+$')).rejects.toThrow(/nests quantifiers/);
  });

  it('reads bigint columns exactly (numbers when safe, strings beyond 2^53) and leaves other statements alone', async () => {
    const { kysely } = connection('mem');
    await sql`create table big (id integer primary key, v bigint, plain integer)`.execute(kysely);
    await sql`insert into big (id, v, plain) values (1, ${9007199254740993n}, 5), (2, 7, 6)`.execute(kysely);
    const { rows } = await sql`select id, v, plain from big order by id`.execute(kysely);
    expect(rows).toEqual([
      { id: 1, v: '9007199254740993', plain: 5 },
      { id: 2, v: 7, plain: 6 },
    ]);
    const { rows: counted } = await sql`select count(*) as n from big`.execute(kysely);
    expect(counted).toEqual([{ n: 2 }]);
    // runNow's one-row read (primary-key lookups) converts the same way, and finds nothing as an empty list.
    const runNow = connection('mem').runNow!;
    const one = (id: number) => runNow({ ...sql`select id, v from big where id = ${id}`.compile(kysely) }, true)!.rows;
    expect(one(1)).toEqual([{ id: 1, v: '9007199254740993' }]);
    expect(one(2)).toEqual([{ id: 2, v: 7 }]);
    expect(one(3)).toEqual([]);
    expect(runNow(sql`select plain from big where id = ${2}`.compile(kysely), true)!.rows).toEqual([{ plain: 6 }]);
  });

  it('refuses a second configuration of the same alias unless replace is passed', () => {
    expect(() => configureDatabases({ mem: { ENGINE: 'sqlite', NAME: ':memory:', OPTIONS: {} } }, dir)).toThrow(/already configured/);
    const before = connection('mem');
    configureDatabases({ mem: { ENGINE: 'sqlite', NAME: ':memory:', OPTIONS: {} } }, dir, { replace: true });
    // connection() remembers the last one it found: the replacement is found, not the closed one.
    expect(connection('mem')).not.toBe(before);
    expect(connection('mem').dialect).toBe('sqlite');
  });

  it('does not find a closed alias through the last connection found', async () => {
    configureDatabases({ brief: { ENGINE: 'sqlite', NAME: ':memory:', OPTIONS: {} } }, dir);
    expect(connection('brief').alias).toBe('brief');
    await closeDatabases(['brief']);
    expect(() => connection('brief')).toThrow(/Database 'brief' is not configured/);
  });

  it('validates OPTIONS keys and values at configuration time', () => {
    expect(() => configureDatabases({ bad: { ENGINE: 'sqlite', NAME: ':memory:', OPTIONS: { busyTimeot: 10 } } }, dir)).toThrow(
      /DATABASES\['bad'\]\.OPTIONS has unknown key 'busyTimeot'; did you mean 'busyTimeout'\?/,
    );
    expect(() => configureDatabases({ bad: { ENGINE: 'sqlite', NAME: ':memory:', OPTIONS: { journalMode: 'fast' } } }, dir)).toThrow(/journalMode must be one of/);
    expect(() => configureDatabases({ bad: { ENGINE: 'postgres', NAME: 'x', OPTIONS: { searchPath: 'a; drop table x' } } }, dir)).toThrow(/searchPath must be schema names/);
  });

  it('names the alias when it is not configured, with a suggestion', () => {
    const error = (() => {
      try {
        connection('fiel');
      } catch (e) {
        return e as ImproperlyConfigured;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(ImproperlyConfigured);
    expect(error.code).toBe('E_IMPROPERLY_CONFIGURED');
    expect(error.message).toMatch(/Database 'fiel' is not configured; did you mean 'file'\? Configured: file, mem/);
  });

  it('db<DB>() is the typed escape hatch over the same connection', async () => {
    interface DB {
      note: { id: number; body: string };
    }
    await sql`create table note (id integer primary key, body text not null)`.execute(connection('mem').kysely);
    await db<DB>('mem').insertInto('note').values({ id: 1, body: 'hi' }).execute();
    const rows = await db<DB>('mem').selectFrom('note').select(['id', 'body']).execute();
    expect(rows).toEqual([{ id: 1, body: 'hi' }]);
  });
});

describe('unreachable PostgreSQL', () => {
  let server: Server | null = null;
  const sockets = new Set<Socket>();
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await closeDatabases(['down', 'silent']);
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  it('fails fast with DatabaseUnavailable when the port is closed', async () => {
    // Bind then close a port so nothing listens on it.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    configureDatabases({ down: { ENGINE: 'postgres', NAME: 'test', HOST: '127.0.0.1', PORT: port, OPTIONS: {} } }, process.cwd());
    const started = Date.now();
    const error = await sql`select 1`.execute(connection('down').kysely).then(
      () => null,
      (e: unknown) => translateDbError(e),
    );
    expect(error).toBeInstanceOf(DatabaseUnavailable);
    expect((error as DatabaseUnavailable).status).toBe(503);
    expect((error as DatabaseUnavailable).code).toBe('E_DATABASE_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(2000);
    // atomic() translates the failed BEGIN itself.
    await expect(atomic(async () => 1, { using: 'down' })).rejects.toBeInstanceOf(DatabaseUnavailable);
  });

  it('gives up after connectionTimeoutMillis when the server accepts but never answers', async () => {
    server = createServer((socket) => sockets.add(socket));
    const port = await new Promise<number>((resolve) => server!.listen(0, '127.0.0.1', () => resolve((server!.address() as { port: number }).port)));
    configureDatabases({ silent: { ENGINE: 'postgres', NAME: 'test', HOST: '127.0.0.1', PORT: port, OPTIONS: { connectionTimeoutMillis: 200 } } }, process.cwd());
    const started = Date.now();
    const error = await sql`select 1`.execute(connection('silent').kysely).then(
      () => null,
      (e: unknown) => translateDbError(e),
    );
    expect(error).toBeInstanceOf(DatabaseUnavailable);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

forEachDatabase(
  'connection',
  (ctx) => {
    it('reports its dialect and runs queries', async () => {
      expect(connection().dialect).toBe(ctx.dialect);
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(ctx.kysely);
      expect(rows).toEqual([{ one: 1 }]);
    });
  },
  { engines: ['sqlite'] },
);

/** A connection's runPooled(), which answers null only inside atomic(), for tests that run it outside. */
function outsideAtomic(runPooled: ReturnType<typeof connection>['runPooled']): (compiled: CompiledQuery) => Promise<QueryResult<unknown>> {
  return (compiled) => runPooled!(compiled, false) ?? Promise.reject(new Error('runPooled() answered null outside atomic()'));
}

describe.skipIf(!postgresAvailable())('PostgreSQL pool', () => {
  const schema = `atrium_conn_${process.pid}_${Math.random().toString(16).slice(2, 10)}`;
  afterAll(async () => {
    await closeDatabases(['pg', 'pg2', 'gate1', 'gate2']);
    await adminQuery(`drop schema if exists "${schema}" cascade`);
  });

  it('applies pool size, timeouts, statement_timeout and search_path from OPTIONS', async () => {
    await adminQuery(`create schema "${schema}"`);
    configureDatabases({ pg: postgresSettings(schema, { max: 3, idleTimeoutMillis: 1500, connectionTimeoutMillis: 1200, statementTimeout: 250, applicationName: 'atrium-test' }) }, process.cwd());
    const { pool, kysely, dialect } = connection('pg');
    expect(dialect).toBe('postgres');
    expect(pool!.options.max).toBe(3);
    expect(pool!.options.idleTimeoutMillis).toBe(1500);
    // The pool waits are timed by Atrium's gate, and the pool's clients time their own connect.
    expect(pool!.options.connectionTimeoutMillis).toBe(0);
    const PoolClient = (pool!.options as unknown as { Client: new (config: object) => { _connectionTimeoutMillis: number } }).Client;
    expect(new PoolClient({})._connectionTimeoutMillis).toBe(1200);
    const { rows } = await sql<{ sp: string; st: string; app: string }>`select current_setting('search_path') as sp, current_setting('statement_timeout') as st, current_setting('application_name') as app`.execute(kysely);
    expect(rows[0]).toEqual({ sp: schema, st: '250ms', app: 'atrium-test' });
    await expect(sql`select pg_sleep(1)`.execute(kysely)).rejects.toThrow(/statement timeout/);
  });

  it('parses types per pool: int8 -> number, numeric -> string, date -> string, timestamptz -> Date', async () => {
    const { kysely } = connection('pg');
    const { rows } = await sql<{ n: unknown; big: unknown; d: unknown; dt: unknown; ts: unknown }>`
      select count(*) as n, 9007199254740993::int8 as big, 12.50::numeric(6,2) as d, '2026-03-01'::date as dt, '2026-03-01T10:00:00Z'::timestamptz as ts`.execute(kysely);
    expect(rows[0]).toEqual({ n: 1, big: '9007199254740993', d: '12.50', dt: '2026-03-01', ts: new Date('2026-03-01T10:00:00Z') });
    // The global pg parsers are untouched.
    const pg = await import('pg');
    expect(pg.default.types.getTypeParser(1082, 'text')('2026-03-01')).toBeInstanceOf(Date);
  });

  it('recovers after its server connections are terminated', async () => {
    const { kysely } = connection('pg');
    await sql`select 1`.execute(kysely);
    const killed = await adminQuery(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'atrium-test' and pid <> pg_backend_pid()`);
    expect(killed.rowCount).toBeGreaterThan(0);
    // The idle client that was killed is discarded; a query now fails or succeeds, and the next one succeeds.
    await sql`select 1`.execute(kysely).catch((e: unknown) => expect(translateDbError(e)).toBeInstanceOf(DatabaseUnavailable));
    const { rows } = await sql<{ ok: number }>`select 1 as ok`.execute(kysely);
    expect(rows).toEqual([{ ok: 1 }]);
  });

  it('a connection killed inside atomic() fails that transaction with DatabaseUnavailable, and the next transaction works', async () => {
    configureDatabases({ pg2: postgresSettings(schema, { max: 2, applicationName: 'atrium-kill' }) }, process.cwd());
    const { kysely } = connection('pg2');
    const failure = await atomic(
      async () => {
        await sql`select 1`.execute(kysely);
        await adminQuery(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'atrium-kill'`);
        await sql`select 1`.execute(kysely);
      },
      { using: 'pg2' },
    ).then(
      () => null,
      (e: unknown) => translateDbError(e),
    );
    expect(failure).toBeInstanceOf(DatabaseUnavailable);
    const value = await atomic(async () => (await sql<{ v: number }>`select 2 as v`.execute(kysely)).rows[0]!.v, { using: 'pg2' });
    expect(value).toBe(2);
  });

  it('fails a statement that waits past connectionTimeoutMillis for a pooled connection, before sending it, and then serves again', async () => {
    configureDatabases({ gate1: postgresSettings(schema, { max: 1, connectionTimeoutMillis: 300, applicationName: 'atrium-gate' }) }, process.cwd());
    const { kysely, runPooled } = connection('gate1');
    const run = outsideAtomic(runPooled);
    await sql`create table gate_probe (n integer)`.execute(kysely);
    // A transaction holds the only connection until told to finish.
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const holder = atomic(
      async () => {
        await sql`select 1`.execute(kysely);
        holding();
        await finished;
      },
      { using: 'gate1' },
    );
    await held;
    const started = Date.now();
    const insert = run(kysely.insertInto('gate_probe').values({ n: 1 }).compile()).then(
      () => null,
      (e: unknown) => translateDbError(e),
    );
    const raw = sql`select 1`.execute(kysely).then(
      () => null,
      (e: unknown) => translateDbError(e),
    );
    const [insertError, rawError] = await Promise.all([insert, raw]);
    const waited = Date.now() - started;
    expect(insertError).toBeInstanceOf(DatabaseUnavailable);
    expect(insertError!.message).toMatch(/timeout exceeded when trying to connect/);
    expect(rawError).toBeInstanceOf(DatabaseUnavailable);
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(2000);
    finish();
    await holder;
    // The insert that timed out was never sent.
    expect((await sql<{ c: number }>`select count(*)::int as c from gate_probe`.execute(kysely)).rows[0]!.c).toBe(0);
    await run(kysely.insertInto('gate_probe').values({ n: 2 }).compile());
    expect((await sql<{ n: number }>`select n from gate_probe`.execute(kysely)).rows).toEqual([{ n: 2 }]);
  });

  it('queues statements and transactions past the pool size in turn, and failed statements give their connection back', async () => {
    configureDatabases({ gate2: postgresSettings(schema, { max: 2, connectionTimeoutMillis: 5000, applicationName: 'atrium-gate2' }) }, process.cwd());
    const { kysely, runPooled } = connection('gate2');
    const run = outsideAtomic(runPooled);
    // Twice the pool size of failing statements, then more work than connections: everything is served.
    const failures = await Promise.all(Array.from({ length: 4 }, () => run(sql`select nope`.compile(kysely)).then(() => 'ran', (e: unknown) => (e as Error).message)));
    for (const message of failures) expect(message).toMatch(/nope/);
    const work = Array.from({ length: 12 }, (_, i) =>
      i % 3 === 0
        ? atomic(async () => (await sql<{ i: number }>`select ${i}::int as i, pg_sleep(0.01)`.execute(kysely)).rows[0]!.i, { using: 'gate2' })
        : run(sql`select ${i}::int as i, pg_sleep(0.01)`.compile(kysely)).then((result) => (result.rows[0] as { i: number }).i),
    );
    expect(await Promise.all(work)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    // A queue longer than the gate compacts at a time (1,024) keeps every waiter, in order.
    const many = await Promise.all(Array.from({ length: 1_500 }, (_, i) => run(sql`select ${i}::int as i`.compile(kysely)).then((result) => (result.rows[0] as { i: number }).i)));
    expect(many).toEqual(Array.from({ length: 1_500 }, (_, i) => i));
    const connections = await adminQuery(`select count(*)::int as n from pg_stat_activity where application_name = 'atrium-gate2'`);
    expect((connections.rows[0] as { n: number }).n).toBeLessThanOrEqual(2);
  });

  it('fails waiting statements when the pool is closed', async () => {
    configureDatabases({ gate3: postgresSettings(schema, { max: 1, applicationName: 'atrium-gate3' }) }, process.cwd());
    const { kysely, runPooled } = connection('gate3');
    const run = outsideAtomic(runPooled);
    const first = run(sql`select pg_sleep(0.3)`.compile(kysely));
    const waiting = run(sql`select 1`.compile(kysely)).then(
      () => null,
      (e: unknown) => translateDbError(e),
    );
    const closing = closeDatabases(['gate3']);
    expect(await waiting).toBeInstanceOf(DatabaseUnavailable);
    await first.catch(() => undefined);
    await closing;
  });
});
