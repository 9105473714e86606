import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery, createTestProject, type TestProject } from '../support/project.js';
import { ensureFaultPostgres, FAULT_PG_PORT, FAULT_PG_URL, faultPostgresUnavailable, startFaultPostgres, stopFaultPostgres } from '../support/fault-services.js';
import { LoadDriver, statusCounts, writeShot } from '../support/load-driver.js';
import { killAllServers, ServerProcess } from '../support/server-process.js';
import { recordFault, recordTally } from '../support/tally.js';

/**
 * PostgreSQL stopped and restarted while requests flow (on the fault
 * cluster, port 5433 — never the shared server): during the outage requests
 * fail fast with 503, never a 500 or a hang; the process stays up; after the
 * restart requests succeed again without restarting the server; and every
 * acknowledged write is in the database.
 */
const unavailable = await faultPostgresUnavailable();

describe.skipIf(unavailable !== null)(`PostgreSQL down and back while requests flow${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let project: TestProject;
  let server: ServerProcess;

  beforeAll(async () => {
    await ensureFaultPostgres();
    project = await createTestProject({ database: { postgres: FAULT_PG_URL }, databaseOptions: { max: 4, connectionTimeoutMillis: 2_000 } });
    server = await ServerProcess.start(project);
  }, 120_000);

  afterAll(async () => {
    // Always bring the cluster back, whatever happened.
    await startFaultPostgres();
    await server?.stop();
    killAllServers();
    await project?.cleanup();
  }, 60_000);

  it('answers 503 fast during the outage and recovers by itself, losing no acknowledged write', async () => {
    let survived = false;
    let writes = 0;
    const load = new LoadDriver({
      baseUrl: server.url,
      concurrency: 4,
      maxMs: 60_000,
      requestTimeoutMs: 10_000,
      next: (client, n) => (n % 2 === 0 ? writeShot(`pg-${client}-${n}-${writes++}`) : { kind: 'read', path: '/items/count/' }),
    });
    try {
      await new Promise((wait) => setTimeout(wait, 1_500));
      const stopBegan = Date.now();
      await stopFaultPostgres();
      const stopped = Date.now();
      await new Promise((wait) => setTimeout(wait, 3_000));
      const startBegan = Date.now();
      await startFaultPostgres();
      const started = Date.now();
      // Keep the load on until requests have succeeded for a while after the restart.
      const recoveryDeadline = started + 20_000;
      while (Date.now() < recoveryDeadline) {
        const recent = load.shots.filter((shot) => shot.start > started + 500);
        if (recent.length >= 20 && recent.slice(-20).every((shot) => shot.status >= 200 && shot.status < 300)) break;
        await new Promise((wait) => setTimeout(wait, 200));
      }
      const shots = await load.stop();

      const summary = JSON.stringify(statusCounts(shots));
      expect(server.alive, `the server died: ${server.stderr}`).toBe(true);
      // Never a 500 and never a dropped connection: 2xx or 503 only.
      for (const shot of shots) expect([200, 201, 503], `${summary}\n${server.stderr.slice(-2000)}`).toContain(shot.status);
      const before = shots.filter((shot) => shot.end < stopBegan);
      expect(before.length).toBeGreaterThan(0);
      expect(before.every((shot) => shot.status < 300), summary).toBe(true);
      // Requests sent while the server was down: all 503, each within a few seconds (fail fast, no hang).
      const during = shots.filter((shot) => shot.start > stopped && shot.end < startBegan);
      expect(during.length, summary).toBeGreaterThan(0);
      for (const shot of during) {
        expect(shot.status).toBe(503);
        expect(shot.end - shot.start).toBeLessThan(5_000);
      }
      // After the restart: the last requests all succeeded, with no restart of the server.
      const after = shots.filter((shot) => shot.start > started + 500);
      expect(after.length, summary).toBeGreaterThanOrEqual(20);
      expect(after.slice(-20).every((shot) => shot.status < 300), summary).toBe(true);

      // Every acknowledged write is in the database (a write whose answer was lost with the server may be there too).
      const acknowledged = shots.filter((shot) => shot.kind === 'write' && shot.status === 201).length;
      const name = String(project.database['NAME']);
      const rows = Number((await adminQuery(`postgres://postgres@127.0.0.1:${FAULT_PG_PORT}/${name}`, 'select count(*)::int as n from items_item')).rows[0].n);
      recordTally({ category: 'writes', label: 'PostgreSQL outage', tried: acknowledged, passed: Math.min(rows, acknowledged) });
      expect(rows).toBeGreaterThanOrEqual(acknowledged);
      expect(rows).toBeLessThanOrEqual(acknowledged + 4);
      survived = true;
    } finally {
      await load.stop();
      recordFault('PostgreSQL stopped and restarted under load', survived);
    }
  }, 120_000);
});
