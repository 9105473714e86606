import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { connection } from '../db/connections.js';
import { atomic, executor } from '../db/transaction.js';
import { DatabaseUnavailable } from '../errors.js';
import { MigrationLockTimeout } from './migrate-errors.js';

/** Held while a migrate runs; release it in `finally`. */
export interface MigrationLock {
  release(): Promise<void>;
}

export interface LockOptions {
  /** Give up after this many ms (default 120 000). */
  timeoutMs?: number;
  /** Called once when another process holds the lock, with who holds it. */
  onWait?: (holder: string) => void;
}

const POLL_MS = 50;
/** First key of the PostgreSQL advisory lock: 'ATRI' (the second is the schema's hash). */
const ADVISORY_NAMESPACE = 0x41545249;
/** The SQLite lock row's table. */
export const LOCK_TABLE = 'atrium_migrations_lock';

/**
 * Make sure only one `migrate` changes a database at a time. PostgreSQL: a
 * session advisory lock (keyed by the schema) on a connection of its own,
 * released by the server if the process dies. SQLite: a row in
 * `atrium_migrations_lock` written in an exclusive transaction; a row left by
 * a process that no longer runs (killed mid-migrate) is taken over. A waiting
 * process re-reads what is applied once it holds the lock, so it never
 * applies a migration twice.
 * @example
 * const lock = await acquireMigrationLock('default', { onWait: (who) => console.log(`Waiting for ${who}...`) });
 * try { ... } finally { await lock.release(); }
 */
export async function acquireMigrationLock(alias = 'default', options: LockOptions = {}): Promise<MigrationLock> {
  const { dialect } = connection(alias);
  return dialect === 'postgres' ? postgresLock(alias, options) : sqliteLock(alias, options);
}

async function postgresLock(alias: string, options: LockOptions): Promise<MigrationLock> {
  const pool = connection(alias).pool!;
  // A connection outside the pool: the lock lives as long as this session, and the pool stays free for the migrations.
  // pg is imported here, not at the top, so a SQLite project never loads it.
  const { default: pgModule } = await import('pg');
  // The pool's own client class: it opens connections with the pool's connect timeout (createPostgresDialect).
  const PoolClient = (pool.options as { Client?: typeof pgModule.Client }).Client ?? pgModule.Client;
  const client = new PoolClient({ ...(pool.options as pg.ClientConfig), application_name: 'atrium migrate lock' });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new DatabaseUnavailable(`Cannot connect to database '${alias}' to take the migration lock: ${(error as Error).message}`, { cause: error });
  }
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let told = false;
  try {
    for (;;) {
      const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, hashtext(current_schema())) as ok', [ADVISORY_NAMESPACE]);
      if (rows[0]?.ok) break;
      const holder = await postgresHolder(client);
      if (!told) {
        told = true;
        options.onWait?.(holder);
      }
      if (Date.now() >= deadline) {
        throw new MigrationLockTimeout(
          `Another migrate holds the migration lock of database '${alias}' (${holder}). Wait for it to finish, then run migrate again (or raise --lock-timeout).`,
        );
      }
      await delay(POLL_MS);
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    async release() {
      try {
        await client.query('select pg_advisory_unlock($1, hashtext(current_schema()))', [ADVISORY_NAMESPACE]);
      } finally {
        await client.end().catch(() => undefined);
      }
    },
  };
}

async function postgresHolder(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ pid: number; client_addr: string | null; backend_start: Date }>(
    `select a.pid, a.client_addr, a.backend_start from pg_locks l join pg_stat_activity a on a.pid = l.pid
     where l.locktype = 'advisory' and l.granted and l.classid = $1::bigint::oid and l.objid::bigint = (hashtext(current_schema())::bigint & 4294967295) and l.objsubid = 2`,
    [ADVISORY_NAMESPACE],
  );
  const row = rows[0];
  return row ? `server process ${row.pid}${row.client_addr ? ` for ${row.client_addr}` : ''}, connected ${row.backend_start.toISOString()}` : 'another session';
}

interface LockRow {
  owner: string;
  pid: number;
  host: string;
  acquired: string;
}

async function sqliteLock(alias: string, options: LockOptions): Promise<MigrationLock> {
  const owner = randomUUID();
  const host = hostname();
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  await sql`create table if not exists ${sql.table(LOCK_TABLE)} (id integer primary key check (id = 1), owner text not null, pid integer not null, host text not null, acquired text not null)`.execute(
    connection(alias).kysely,
  );
  let told = false;
  for (;;) {
    let holder: LockRow | null;
    try {
      holder = await atomic(() => claimRow(executor(alias), { owner, pid: process.pid, host, acquired: new Date().toISOString() }), { using: alias });
    } catch (error) {
      // Another process is writing (a migration in progress) past the busy timeout: keep waiting.
      if (!(error instanceof DatabaseUnavailable)) throw error;
      holder = { owner: '', pid: 0, host: '', acquired: '' };
    }
    if (holder === null) break;
    const who = holder.pid ? `process ${holder.pid} on ${holder.host}, since ${holder.acquired}` : 'a process writing to the database';
    if (!told) {
      told = true;
      options.onWait?.(who);
    }
    if (Date.now() >= deadline) {
      throw new MigrationLockTimeout(
        `Another migrate holds the migration lock of database '${alias}' (${who}). Wait for it to finish, then run migrate again. If that process is gone (another machine), delete the row of table ${LOCK_TABLE}.`,
      );
    }
    await delay(POLL_MS);
  }
  return {
    async release() {
      await sql`delete from ${sql.table(LOCK_TABLE)} where owner = ${owner}`.execute(connection(alias).kysely);
    },
  };
}

/** Take the lock row (null) or return its live holder. A holder on this host whose process is gone was killed: its row is taken over. */
async function claimRow(run: Kysely<any>, mine: LockRow): Promise<LockRow | null> {
  const { rows } = await sql<LockRow>`select owner, pid, host, acquired from ${sql.table(LOCK_TABLE)} where id = 1`.execute(run);
  const current = rows[0];
  if (current && !(current.host === mine.host && !processAlive(Number(current.pid)))) return current;
  await sql`insert into ${sql.table(LOCK_TABLE)} (id, owner, pid, host, acquired) values (1, ${mine.owner}, ${mine.pid}, ${mine.host}, ${mine.acquired})
    on conflict (id) do update set owner = excluded.owner, pid = excluded.pid, host = excluded.host, acquired = excluded.acquired`.execute(run);
  return null;
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
