import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '@atrium/orm/testing';
import { LoadDriver, statusCounts, writeShot, type LoadOptions, type Shot } from '../support/load-driver.js';
import { countItems, type TestProject } from '../support/project.js';
import { ServerProcess } from '../support/server-process.js';
import { recordFault, recordTally } from '../support/tally.js';
import { testProjects } from '../support/test-projects.js';

/**
 * SIGHUP and SIGTERM sent to the `manage serve` primary while clients keep
 * reading, writing and waiting on slow requests, on SQLite and PostgreSQL.
 * SIGHUP: new workers come up before the old ones drain, and not one
 * request fails. SIGTERM: every request the server accepted is answered
 * 2xx (those in flight at the signal included, transactions committed);
 * after it the only failures are requests the server never read
 * (refused, or closed before any answer); the primary exits 0. In both, every acknowledged write
 * is in the database, and no other.
 */
const newProject = testProjects();
const pause = (ms: number): Promise<void> => new Promise((wait) => setTimeout(wait, ms));
const ok = (shot: Shot): boolean => shot.status >= 200 && shot.status < 300;
/** Refused at connect: nothing listens any more. */
const refused = (shot: Shot): boolean => shot.status === 0 && (shot.error ?? '').includes('ECONNREFUSED');
/**
 * Never read by the server: refused, or closed before a byte of an answer
 * came. After SIGTERM the second happens to a connection that was still in
 * the listen queue (node:cluster's primary accepts before a worker does) or
 * to a keep-alive connection closed as idle just as the client sent on it
 * (RFC 9112 §9.6; a client retries those). The writes check proves none of
 * them was half-handled: no unacknowledged row is in the database.
 */
const notAccepted = (shot: Shot): boolean => refused(shot) || (shot.status === 0 && !shot.answerStarted && /ECONNRESET|other side closed|socket hang up/i.test(shot.error ?? ''));

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

interface SignalRun {
  server: ServerProcess;
  /** When the signal was sent. */
  signalledAt: number;
  shots: Shot[];
  /** Rows the load wrote: the items table now minus before the load. */
  written(): Promise<number>;
  /** Status counts and the end of the server's log, for failure messages. */
  summary: string;
}

/**
 * Serve `project` with two workers under the mixed load, send `signal` to
 * the primary after 1.5 s, let `after` wait for its effect, stop the load,
 * and hand everything to `check`. The fault counts as survived only when
 * `check` returns; the server is stopped either way.
 */
async function signalUnderLoad(project: TestProject, signal: 'SIGHUP' | 'SIGTERM', label: string, after: (server: ServerProcess) => Promise<void>, check: (run: SignalRun) => Promise<void>): Promise<void> {
  const server = await ServerProcess.serve(project, { workers: 2, args: ['--graceful-timeout', '20'] });
  const before = await countItems(project);
  const load = new LoadDriver({ baseUrl: server.url, concurrency: 6, maxMs: 90_000, next: mix });
  let survived = false;
  try {
    await pause(1_500);
    const signalledAt = Date.now();
    process.kill(server.child.pid!, signal);
    await after(server);
    const shots = await load.stop();
    const failed = shots.filter((shot) => shot.status === 0 || shot.status >= 300).map((shot) => ({ ...shot, start: shot.start - signalledAt, end: shot.end - signalledAt }));
    const summary = `${JSON.stringify(statusCounts(shots))}\nnot 2xx (ms from the signal): ${JSON.stringify(failed.slice(0, 20))}\n${server.stderr.slice(-3000)}`;
    await check({ server, signalledAt, shots, summary, written: async () => (await countItems(project)) - before });
    survived = true;
  } finally {
    await load.stop();
    recordFault(label, survived);
    await server.stop();
  }
}

/** Every acknowledged write, and no other, is in the database; tallied for the report. */
async function expectWritesKept(run: SignalRun, label: string): Promise<void> {
  const acknowledged = run.shots.filter((shot) => shot.kind === 'write' && shot.status === 201).length;
  const written = await run.written();
  recordTally({ category: 'writes', label, tried: acknowledged, passed: Math.min(written, acknowledged) });
  expect(written, run.summary).toBe(acknowledged);
}

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`manage serve under load on ${engine}`, () => {
    let project: TestProject | undefined;
    // One project for both tests (setting it up is the slow part); whichever runs first makes it.
    const theProject = async (): Promise<TestProject> => (project ??= await newProject({ database: engine === 'sqlite' ? 'sqlite' : { postgres: testDatabaseUrl() } }));

    it('reloads on SIGHUP with zero failed requests: new workers serve, the old ones drain', async () => {
      let drainedAt = 0;
      const waitForDrain = async (server: ServerProcess): Promise<void> => {
        await server.waitForOutput(/Reload complete: 2 new worker\(s\) ready; draining 2 old one\(s\)/, 1, 90_000);
        for (const pid of server.workerPids) await server.waitForOutput(new RegExp(`Worker ${pid} drained and exited with code 0`), 1, 60_000);
        drainedAt = Date.now();
        await pause(1_000);
      };
      await signalUnderLoad(await theProject(), 'SIGHUP', `SIGHUP reload under load (${engine})`, waitForDrain, async (run) => {
        const { server, signalledAt, shots, summary } = run;
        expect(server.alive, summary).toBe(true);
        recordTally({ category: 'load', label: `SIGHUP reload (${engine})`, tried: shots.length, passed: shots.filter(ok).length });
        expect(shots.filter((shot) => !ok(shot)), summary).toEqual([]);
        expect(shots.filter((shot) => shot.start < signalledAt && shot.end > signalledAt).length, summary).toBeGreaterThan(0);
        expect(shots.filter((shot) => shot.start > drainedAt).length, summary).toBeGreaterThan(0);
        // Only new workers are left, and they answer.
        const pid = ((await (await fetch(`${server.url}/api/pid/`)).json()) as { pid: number }).pid;
        expect(server.workerPids).not.toContain(pid);
        await expectWritesKept(run, `SIGHUP reload (${engine})`);
      });
    }, 240_000); // project set-up and five processes booting take most of it on a busy machine

    it('stops on SIGTERM: every accepted request answered 2xx, later ones refused or never read, exit 0', async () => {
      let exit: Awaited<ServerProcess['exited']> | null = null;
      const waitForExit = async (server: ServerProcess): Promise<void> => {
        exit = await Promise.race([server.exited, pause(60_000).then(() => null)]);
        // Keep sending a moment after the exit: those requests must be refused, not half-answered.
        await pause(300);
      };
      await signalUnderLoad(await theProject(), 'SIGTERM', `SIGTERM shutdown under load (${engine})`, waitForExit, async (run) => {
        const { server, signalledAt, shots, summary } = run;
        expect(exit, summary).toEqual({ code: 0, signal: null });
        expect(server.stderr).toContain('Received SIGTERM; finishing in-flight requests');
        // Sent before the signal, in flight at it included: all answered 2xx.
        const sentBefore = shots.filter((shot) => shot.start < signalledAt);
        expect(sentBefore.filter((shot) => !ok(shot)), summary).toEqual([]);
        expect(sentBefore.filter((shot) => shot.end > signalledAt).length, summary).toBeGreaterThan(0);
        // Sent after: answered 2xx, or never read by the server (refused at connect, or closed before any answer); never cut off mid-answer or 5xx.
        const accepted = shots.filter((shot) => !notAccepted(shot));
        recordTally({ category: 'load', label: `SIGTERM shutdown (${engine}): accepted requests`, tried: accepted.length, passed: accepted.filter(ok).length });
        expect(accepted.filter((shot) => !ok(shot)), summary).toEqual([]);
        expect(shots.filter((shot) => shot.start > signalledAt && refused(shot)).length, summary).toBeGreaterThan(0);
        await expectWritesKept(run, `SIGTERM shutdown (${engine})`);
      });
    }, 240_000);
  });
}
