import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '@atrium/orm/testing';
import { PinnedConnection, startPinnedLoad, type PinnedRequest } from '../support/pinned-clients.js';
import { adminQuery, countItems, projectDatabaseUrl, type TestProject } from '../support/project.js';
import { ServerProcess } from '../support/server-process.js';
import { recordFault, recordTally } from '../support/tally.js';
import { testProjects } from '../support/test-projects.js';

/**
 * A `manage serve` worker SIGKILLed in the middle of a request that holds a
 * database transaction open (/api/slow-write/ inserts a row, then waits
 * before committing), on SQLite and PostgreSQL: the primary replaces the
 * worker; the row of the killed request is not in the database (its
 * transaction rolled back, nothing half-written, the SQLite file intact and
 * unlocked); and clients connected to the other worker see no failed
 * request while it happens.
 */
const newProject = testProjects();
const pause = (ms: number): Promise<void> => new Promise((wait) => setTimeout(wait, ms));

/** Poll `check` every 100 ms until true, or fail naming `what` (bounded). */
async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await pause(100);
  }
  throw new Error(`${what} within ${timeoutMs} ms`);
}

/** True when some connection holds the SQLite file's write lock: BEGIN IMMEDIATE fails at once with SQLITE_BUSY. */
function sqliteWriteLocked(file: string): boolean {
  const db = new Database(file, { timeout: 0 });
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw error;
  } finally {
    db.close();
  }
}

interface Engine {
  /** True once the request's transaction is open (its INSERT done, no COMMIT yet). */
  transactionOpen(project: TestProject): Promise<boolean> | boolean;
  /**
   * Whether the load writes while the victim holds its transaction. SQLite
   * has one writer at a time, so other workers' writes would wait for the
   * victim's lock (busy_timeout) by design; there the load only reads, and
   * the test writes once the victim is gone to show the lock was released.
   */
  writesUnderKill: boolean;
}

const ENGINES: Record<'sqlite' | 'postgres', Engine> = {
  sqlite: {
    transactionOpen: (project) => sqliteWriteLocked(join(project.dir, 'db.sqlite3')),
    writesUnderKill: false,
  },
  postgres: {
    async transactionOpen(project) {
      const sql = "select count(*)::int as n from pg_stat_activity where datname = $1 and state = 'idle in transaction'";
      const result = await adminQuery(projectDatabaseUrl(project), sql, [String(project.database['NAME'])]);
      return Number(result.rows[0].n) > 0;
    },
    writesUnderKill: true,
  },
};

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`a manage serve worker SIGKILLed mid-request on ${engine}`, () => {
    it('is replaced; its transaction is rolled back; clients of the other worker see no failure', async () => {
      const db = ENGINES[engine];
      const project = await newProject({ database: engine === 'sqlite' ? 'sqlite' : { postgres: testDatabaseUrl() } });
      const server = await ServerProcess.serve(project, { workers: 2 });
      let survived = false;
      try {
        // The victim: a worker inside a transaction it will never commit (a 20 s hold; the kill comes long before).
        const victimTitle = `victim-${randomBytes(6).toString('hex')}`;
        const victimConnection = await PinnedConnection.open(server.url);
        const victimPid = victimConnection.pid;
        const killedRequest = victimConnection.send({ kind: 'slow-write', method: 'POST', path: `/api/slow-write/?ms=20000&title=${victimTitle}` }, 30_000);
        await waitUntil(() => db.transactionOpen(project), 15_000, `the slow write's transaction was not open on ${engine}`);

        const next = (client: number, n: number): PinnedRequest =>
          db.writesUnderKill && n % 2 === 0 ? { kind: 'write', method: 'POST', path: '/api/items/', json: { title: `kill-${client}-${n}` } } : { kind: 'read', path: '/items/count/' };
        const load = await startPinnedLoad({ baseUrl: server.url, clients: 6, maxMs: 60_000, maxRequestsPerClient: 20_000, next });
        await pause(1_000);
        const killedAt = Date.now();
        process.kill(victimPid, 'SIGKILL');
        const killed = await killedRequest;
        victimConnection.close();
        await server.waitForOutput(new RegExp(`Worker ${victimPid} was killed by SIGKILL unexpectedly; starting a replacement`));
        // The replacement answers: a fresh connection reaches a worker that was not there at the start.
        let replacementPid = 0;
        await waitUntil(
          async () => {
            const probe = await PinnedConnection.open(server.url).catch(() => null);
            probe?.close();
            if (probe && !server.workerPids.includes(probe.pid)) replacementPid = probe.pid;
            return replacementPid !== 0;
          },
          30_000,
          'no replacement worker answered',
        );
        await pause(500);
        const clients = await load.stop();

        const summary = JSON.stringify(clients.map((c) => ({ pid: c.pid, shots: c.shots.length, lost: c.lost })));
        expect(server.alive, server.stderr).toBe(true);
        // The killed request got no answer: it died with its worker, it was not finished by anyone else.
        expect(killed.status, JSON.stringify(killed)).toBe(0);

        // Clients of the other worker: every request answered 2xx on their own connection, before and after the kill.
        const survivors = clients.filter((c) => c.pid !== victimPid);
        expect(survivors.length, summary).toBeGreaterThan(0);
        for (const client of survivors) {
          expect(client.lost, summary).toBeNull();
          expect(client.shots.every((shot) => shot.status >= 200 && shot.status < 300 && shot.sameConnection), summary).toBe(true);
          expect(client.shots.some((shot) => shot.start > killedAt), summary).toBe(true);
        }
        // Clients of the killed worker lost their connection, at most one request each, never to a 5xx.
        const victims = clients.filter((c) => c.pid === victimPid);
        for (const client of victims) {
          expect(client.lost, summary).not.toBeNull();
          expect(client.shots.filter((shot) => shot.status === 0).length).toBeLessThanOrEqual(1);
          expect(client.shots.every((shot) => shot.status === 0 || shot.status < 500), summary).toBe(true);
        }

        // Once the victim is gone, writes go through (the SQLite write lock died with it).
        const after = await PinnedConnection.open(server.url);
        const written = await after.send({ kind: 'write', method: 'POST', path: '/api/items/', json: { title: 'after-the-kill' } });
        after.close();
        expect(written.status, written.body).toBe(201);

        // Nothing half-written: the killed request's row is gone; every acknowledged write is there.
        const shots = clients.flatMap((c) => c.shots);
        const acknowledged = shots.filter((shot) => shot.kind === 'write' && shot.status === 201).length + 1;
        const unanswered = shots.filter((shot) => shot.kind === 'write' && shot.status === 0).length;
        expect(await countItems(project, victimTitle)).toBe(0);
        const rows = await countItems(project);
        expect(rows).toBeGreaterThanOrEqual(acknowledged);
        // A write the killed worker committed just before dying may be there without its answer.
        expect(rows).toBeLessThanOrEqual(acknowledged + unanswered);
        if (engine === 'sqlite') {
          const file = new Database(join(project.dir, 'db.sqlite3'), { readonly: true });
          expect(file.pragma('integrity_check', { simple: true })).toBe('ok');
          file.close();
        }
        const survivorShots = survivors.flatMap((c) => c.shots);
        recordTally({ category: 'load', label: `worker SIGKILL (${engine}): other worker's requests`, tried: survivorShots.length, passed: survivorShots.filter((shot) => shot.status >= 200 && shot.status < 300).length });
        recordTally({ category: 'writes', label: `worker SIGKILL (${engine})`, tried: acknowledged, passed: Math.min(rows, acknowledged) });
        survived = true;
      } finally {
        recordFault(`worker SIGKILLed mid-transaction (${engine})`, survived);
        await server.stop();
      }
    }, 240_000); // project set-up and three processes booting take most of it on a busy machine
  });
}
