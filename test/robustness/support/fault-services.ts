import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * PostgreSQL and Redis servers of the fault tests' own, on other ports than
 * the shared ones (5432, 6379) that every other test file uses in parallel:
 * fault tests stop and start these, never the shared ones. The commands are
 * the ones .ci/services.sh uses (pg_ctlcluster, redis-server).
 */
export const FAULT_PG_PORT = 5433;
export const FAULT_PG_URL = `postgres://postgres@127.0.0.1:${FAULT_PG_PORT}/postgres`;
export const FAULT_REDIS_PORT = 6390;
export const FAULT_REDIS_URL = `redis://127.0.0.1:${FAULT_REDIS_PORT}/0`;
const CLUSTER = 'faults';

/** The installed PostgreSQL major version (the folder in /etc/postgresql), or null. */
export function postgresVersion(): string | null {
  if (!existsSync('/etc/postgresql')) return null;
  return readdirSync('/etc/postgresql').sort().at(-1) ?? null;
}

/** Why fault tests on PostgreSQL cannot run here, or null when they can. */
export async function faultPostgresUnavailable(): Promise<string | null> {
  if (postgresVersion() === null) return 'PostgreSQL is not installed (/etc/postgresql is missing)';
  try {
    await run('which', ['pg_ctlcluster']);
  } catch {
    return 'pg_ctlcluster is not installed';
  }
  return null;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portOpen(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    const finish = (open: boolean): void => {
      socket.destroy();
      done(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((wait) => setTimeout(wait, 200));
  }
  throw new Error(`${what} within ${timeoutMs} ms`);
}

async function pgReady(): Promise<boolean> {
  try {
    await run('pg_isready', ['-h', '127.0.0.1', '-p', String(FAULT_PG_PORT), '-q']);
    return true;
  } catch {
    return false;
  }
}

/** Create the 'faults' cluster on port 5433 if it does not exist (trust auth on loopback, as the main one), and start it. */
export async function ensureFaultPostgres(): Promise<void> {
  const version = postgresVersion();
  if (version === null) throw new Error('PostgreSQL is not installed');
  if (!existsSync(`/etc/postgresql/${version}/${CLUSTER}`)) {
    await run('pg_createcluster', [version, CLUSTER, '-p', String(FAULT_PG_PORT), '--', '--auth=trust']);
  }
  await startFaultPostgres();
}

export async function startFaultPostgres(): Promise<void> {
  if (await pgReady()) return;
  const version = postgresVersion()!;
  await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, CLUSTER, 'start']).catch(() => undefined);
  await waitFor(pgReady, 30_000, `PostgreSQL '${CLUSTER}' did not accept connections on port ${FAULT_PG_PORT}`);
}

/** Stop the fault cluster at once (fast mode: open connections are cut, as in a crash of the server). */
export async function stopFaultPostgres(): Promise<void> {
  const version = postgresVersion()!;
  await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, CLUSTER, 'stop', '-m', 'fast']).catch(() => undefined);
  await waitFor(async () => !(await portOpen(FAULT_PG_PORT)), 30_000, `PostgreSQL '${CLUSTER}' did not stop`);
}

/** Start the fault Redis on port 6390 if it is not up (same command as .ci/services.sh, another port). */
export async function startFaultRedis(): Promise<void> {
  if (await portOpen(FAULT_REDIS_PORT)) return;
  await run('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(FAULT_REDIS_PORT), '--save', '', '--appendonly', 'no', '--dir', '/tmp', '--logfile', '/tmp/atrium-fault-redis.log', '--pidfile', '/tmp/atrium-fault-redis.pid']);
  await waitFor(() => portOpen(FAULT_REDIS_PORT), 15_000, `Redis did not listen on port ${FAULT_REDIS_PORT}`);
}

export async function stopFaultRedis(): Promise<void> {
  await run('redis-cli', ['-h', '127.0.0.1', '-p', String(FAULT_REDIS_PORT), 'shutdown', 'nosave']).catch(() => undefined);
  await waitFor(async () => !(await portOpen(FAULT_REDIS_PORT)), 15_000, `Redis on port ${FAULT_REDIS_PORT} did not stop`);
}

export async function faultRedisUnavailable(): Promise<string | null> {
  try {
    await run('which', ['redis-server']);
    return null;
  } catch {
    return 'redis-server is not installed';
  }
}
