// The TechEmpower data set, created identically on SQLite and PostgreSQL for
// the Atrium app and its hand-written baseline: a `world` table of 10,000 rows
// with a random number each, and the classic 12 fortunes.
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

export const WORLD_ROWS = 10_000;

/** The classic fortunes, including the one that must be escaped and the Japanese one. */
export const FORTUNES = [
  'fortune: No such file or directory',
  "A computer scientist is someone who fixes things that aren't broken.",
  'After enough decimal places, nobody gives a damn.',
  'A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1',
  'A computer program does what you tell it to do, not what you want it to do.',
  'Emacs is a nice operating system, but I prefer UNIX. \u2014 Tom Christaensen',
  'Any program that runs right is obsolete.',
  'A list is only as strong as its weakest link. \u2014 Donald Knuth',
  'Feature: A bug with seniority.',
  'Computers make very fast, very accurate mistakes.',
  '<script>alert("This should not be displayed in a browser alert box.");</script>',
  '\u30d5\u30ec\u30fc\u30e0\u30ef\u30fc\u30af\u306e\u30d9\u30f3\u30c1\u30de\u30fc\u30af',
].map((message, i) => ({ id: i + 1, message }));

/** The fortune both apps add at request time. */
export const ADDED_FORTUNE = 'Additional fortune added at request time.';

const randomNumber = () => 1 + Math.floor(Math.random() * 10_000);
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Where a TechEmpower server finds its data: `TE_DATABASE` is `sqlite:/path/file.db`
 * or a postgres:// URL, `TE_PG_SCHEMA` the PostgreSQL schema holding the tables.
 * @example parseDatabase({ TE_DATABASE: 'sqlite:/tmp/te.db' }) // { engine: 'sqlite', file: '/tmp/te.db' }
 */
export function parseDatabase(env = process.env) {
  const url = env.TE_DATABASE;
  if (!url) throw new Error('TE_DATABASE is not set; use sqlite:/path/to/file.db or postgres://user@host:port/db');
  if (url.startsWith('sqlite:')) return { engine: 'sqlite', file: url.slice('sqlite:'.length) };
  const parsed = new URL(url);
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw new Error(`TE_DATABASE '${url}' is neither sqlite: nor postgres://`);
  const schema = env.TE_PG_SCHEMA ?? 'techempower';
  if (!SCHEMA_NAME.test(schema)) throw new Error(`TE_PG_SCHEMA '${schema}' is not a plain lower-case identifier`);
  return {
    engine: 'postgres',
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username || 'postgres'),
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    schema,
  };
}

const TABLES = [
  'create table world (id integer primary key, random_number integer not null)',
  'create table fortune (id integer primary key, message varchar(2048) not null)',
];

/**
 * Create (or re-create) the tables and rows for `target` (as parseDatabase returns it).
 * @example await createFixture(parseDatabase({ TE_DATABASE: 'sqlite:/tmp/te.db' }));
 */
export async function createFixture(target) {
  const worlds = Array.from({ length: WORLD_ROWS }, (_, i) => [i + 1, randomNumber()]);
  if (target.engine === 'sqlite') {
    const Database = require('better-sqlite3');
    const db = new Database(target.file);
    try {
      db.pragma('journal_mode = WAL');
      db.exec('drop table if exists world; drop table if exists fortune;');
      for (const ddl of TABLES) db.exec(ddl);
      const insertWorld = db.prepare('insert into world (id, random_number) values (?, ?)');
      const insertFortune = db.prepare('insert into fortune (id, message) values (?, ?)');
      db.transaction(() => {
        for (const [id, n] of worlds) insertWorld.run(id, n);
        for (const { id, message } of FORTUNES) insertFortune.run(id, message);
      })();
    } finally {
      db.close();
    }
    return;
  }
  await withPostgres(target, async (client) => {
    await client.query(`drop schema if exists ${target.schema} cascade`);
    await client.query(`create schema ${target.schema}`);
    await client.query(`set search_path to ${target.schema}`);
    for (const ddl of TABLES) await client.query(ddl);
    await client.query('insert into world (id, random_number) select * from unnest($1::int[], $2::int[])', [worlds.map((w) => w[0]), worlds.map((w) => w[1])]);
    await client.query('insert into fortune (id, message) select * from unnest($1::int[], $2::text[])', [FORTUNES.map((f) => f.id), FORTUNES.map((f) => f.message)]);
    await client.query('analyze world');
  });
}

/** Drop what createFixture made (the PostgreSQL schema; the SQLite file is the caller's). */
export async function dropFixture(target) {
  if (target.engine !== 'postgres') return;
  await withPostgres(target, (client) => client.query(`drop schema if exists ${target.schema} cascade`));
}

/**
 * The TE_* environment of a benchmark run on `engine` ('sqlite' or 'postgres'):
 * a SQLite file in the temp folder, or a PostgreSQL schema of its own, both
 * named after this process so that two runs never share data.
 */
export function fixtureEnvironment(engine) {
  if (engine === 'sqlite') return { TE_DATABASE: `sqlite:${join(tmpdir(), `atrium-te-${process.pid}.db`)}` };
  return { TE_DATABASE: process.env.ATRIUM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', TE_PG_SCHEMA: `atrium_te_${process.pid}` };
}

/** Drop what createFixture made, the SQLite file (with its WAL files) included. */
export async function removeFixtureFiles(target) {
  await dropFixture(target);
  if (target.engine === 'sqlite') await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${target.file}${suffix}`, { force: true })));
}

/**
 * Read world rows by id (for checking that updates were persisted).
 * @example await readWorlds(target, [1, 2]) // [{ id: 1, randomNumber: 42 }, ...]
 */
export async function readWorlds(target, ids) {
  if (target.engine === 'sqlite') {
    const Database = require('better-sqlite3');
    const db = new Database(target.file, { readonly: true });
    try {
      const stmt = db.prepare('select id, random_number as randomNumber from world where id = ?');
      return ids.map((id) => stmt.get(id));
    } finally {
      db.close();
    }
  }
  return withPostgres(target, async (client) => {
    const { rows } = await client.query(`select id, random_number as "randomNumber" from ${target.schema}.world where id = any($1::int[])`, [ids]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id));
  });
}

async function withPostgres(target, fn) {
  const { Client } = require('pg');
  const client = new Client({ host: target.host, port: target.port, user: target.user, password: target.password, database: target.database });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
