import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '@atrium/orm/testing';
import { LoadDriver, statusCounts, writeShot, type LoadOptions, type Shot } from '../support/load-driver.js';
import { adminQuery, createTestProject, type TestProject } from '../support/project.js';
import { killAllServers, ServerProcess } from '../support/server-process.js';
import { recordFault, recordTally } from '../support/tally.js';

/**
 * SIGHUP and SIGTERM sent to the `manage serve` primary while clients keep
 * reading, writing and waiting on slow requests, on SQLite and PostgreSQL.
 * SIGHUP: new workers come up before the old ones drain, and not one
 * request fails. SIGTERM: every request the server accepted is answered
 * 2xx (those in flight at the signal included, transactions committed);
 * after it the only failures are connections refused because nothing
 * listens any more; the primary exits 0. In both, every acknowledged write
 * is in the database, and no other.
 */
const projects: TestProject[] = [];
afterAll(async () => {
  killAllServers();
  for (const project of projects) await project.cleanup();
}, 60_000);

const pause = (ms: number): Promise<void> => new Promise((wait) => setTimeout(wait, ms));
const ok = (shot: Shot): boolean => shot.status >= 200 && shot.status < 300;
/** A request that never reached the server: the connection was refused (the listener is closed). */
const refused = (shot: Shot): boolean => shot.status === 0 && (shot.error ?? '').includes('ECONNREFUSED');

/** Reads, writes, 200 ms waits and (client 0) writes whose transaction stays open 200 ms: work in flight whenever the signal comes. */
const mix: LoadOptions['next'] = (client, n) => {
  if (client === 0 && n % 2 === 1) return { kind: 'write', path: `/api/slow-write/?ms=200&title=slow-${n}`, init: { method: 'POST' } };
  switch (n % 3) {
    case 0:
      return writeShot(`signal-${client}-${n}`);
    case 1:
      return { kind: 'sleep', path: '/api/sleep/?ms=200' };
    default:
      return { kind: 'read', path: '/items/count/' };
  }
};

async function rowCount(project: TestProject): Promise<number> {
  if (project.database['ENGINE'] === 'sqlite') {
    const db = new Database(join(project.dir, String(project.database['NAME'])), { readonly: true });
    try {
      return (db.prepare('select count(*) as n from items_item').get() as { n: number }).n;
    } finally {
      db.close();
    }
  }
  const { USER, HOST, PORT, NAME } = project.database as Record<string, string | number>;
  return Number((await adminQuery(`postgres://${String(USER)}@${String(HOST)}:${String(PORT)}/${String(NAME)}`, 'select count(*)::int as n from items_item')).rows[0].n);
}

const writesAcknowledged = (shots: readonly Shot[]): number => shots.filter((shot) => shot.kind === 'write' && shot.status === 201).length;

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`manage serve under load on ${engine}`, () => {
    let project: TestProject;

    it('reloads on SIGHUP with zero failed requests: new workers serve, the old ones drain', async () => {
      project = await createTestProject({ database: engine === 'sqlite' ? 'sqlite' : { postgres: testDatabaseUrl() } });
      projects.push(project);
      const server = await ServerProcess.serve(project, { workers: 2, args: ['--graceful-timeout', '20'] });
      let survived = false;
      const load = new LoadDriver({ baseUrl: server.url, concurrency: 6, maxMs: 90_000, next: mix });
      try {
        const before = await rowCount(project);
        await pause(1_500);
        const hupAt = Date.now();
        process.kill(server.child.pid!, 'SIGHUP');
        await server.waitForOutput(/Reload complete: 2 new worker\(s\) ready; draining 2 old one\(s\)/, 1, 90_000);
        for (const pid of server.workerPids) await server.waitForOutput(new RegExp(`Worker ${pid} drained and exited with code 0`), 1, 60_000);
        const drainedAt = Date.now();
        await pause(1_000);
        const shots = await load.stop();

        const summary = `${JSON.stringify(statusCounts(shots))}\n${server.stderr.slice(-3000)}`;
        expect(server.alive, summary).toBe(true);
        expect(shots.filter((shot) => !ok(shot)), summary).toEqual([]);
        expect(shots.filter((shot) => shot.start < hupAt && shot.end > hupAt).length, summary).toBeGreaterThan(0);
        expect(shots.filter((shot) => shot.start > drainedAt).length, summary).toBeGreaterThan(0);
        // Only new workers are left, and they answer.
        const pid = ((await (await fetch(`${server.url}/api/pid/`)).json()) as { pid: number }).pid;
        expect(server.workerPids).not.toContain(pid);

        const acknowledged = writesAcknowledged(shots);
        const written = (await rowCount(project)) - before;
        expect(written, summary).toBe(acknowledged);
        recordTally({ category: 'load', label: `SIGHUP reload (${engine})`, tried: shots.length, passed: shots.filter(ok).length });
        recordTally({ category: 'writes', label: `SIGHUP reload (${engine})`, tried: acknowledged, passed: Math.min(written, acknowledged) });
        survived = true;
      } finally {
        await load.stop();
        recordFault(`SIGHUP reload under load (${engine})`, survived);
        await server.stop();
      }
    }, 240_000); // project set-up and five processes booting take most of it on a busy machine

    it('stops on SIGTERM: every accepted request answered 2xx, later ones refused, exit 0', async () => {
      expect(project, 'the SIGHUP test creates the project').toBeDefined();
      const server = await ServerProcess.serve(project, { workers: 2, args: ['--graceful-timeout', '20'] });
      let survived = false;
      const load = new LoadDriver({ baseUrl: server.url, concurrency: 6, maxMs: 90_000, next: mix });
      try {
        const before = await rowCount(project);
        await pause(1_500);
        const termAt = Date.now();
        process.kill(server.child.pid!, 'SIGTERM');
        const exit = await Promise.race([server.exited, pause(60_000).then(() => null)]);
        // Keep sending a moment after the exit: those requests must be refused, not half-answered.
        await pause(300);
        const shots = await load.stop();

        const summary = `${JSON.stringify(statusCounts(shots))}\n${server.stderr.slice(-3000)}`;
        expect(exit, summary).toEqual({ code: 0, signal: null });
        expect(server.stderr).toContain('Received SIGTERM; finishing in-flight requests');
        // Sent before the signal, in flight at it included: all answered 2xx.
        const sentBefore = shots.filter((shot) => shot.start < termAt);
        expect(sentBefore.filter((shot) => !ok(shot)), summary).toEqual([]);
        expect(sentBefore.filter((shot) => shot.end > termAt).length, summary).toBeGreaterThan(0);
        // Sent after: answered 2xx, or never accepted (connection refused); nothing else.
        const accepted = shots.filter((shot) => !refused(shot));
        expect(accepted.filter((shot) => !ok(shot)), summary).toEqual([]);
        expect(shots.filter((shot) => shot.start > termAt && refused(shot)).length, summary).toBeGreaterThan(0);

        const acknowledged = writesAcknowledged(shots);
        const written = (await rowCount(project)) - before;
        expect(written, summary).toBe(acknowledged);
        recordTally({ category: 'load', label: `SIGTERM shutdown (${engine}): accepted requests`, tried: accepted.length, passed: accepted.filter(ok).length });
        recordTally({ category: 'writes', label: `SIGTERM shutdown (${engine})`, tried: acknowledged, passed: Math.min(written, acknowledged) });
        survived = true;
      } finally {
        await load.stop();
        recordFault(`SIGTERM shutdown under load (${engine})`, survived);
        await server.stop();
      }
    }, 120_000);
  });
}
