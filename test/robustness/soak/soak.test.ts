import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '@atrium/orm/testing';
import { BrowserSession } from '../support/browser-session.js';
import { SUPERUSER } from '../support/project.js';
import { ServerProcess } from '../support/server-process.js';
import { recordTally } from '../support/tally.js';
import { testProjects } from '../support/test-projects.js';

/**
 * A bounded soak (ROBUSTNESS_SOAK_SECONDS, default 30 s per database) at a
 * concurrency that saturates one server process, mixing reads, writes and
 * full logins (login page, CSRF token, argon2 check, session) on SQLite and
 * PostgreSQL: zero 5xx, zero failed requests, zero lost writes (rows found
 * vs 201 answers), and memory flat (the resident size at the end is within
 * bounds of the size once warm). Runs only in `npm run robustness`.
 */
const SECONDS = Number(process.env['ROBUSTNESS_SOAK_SECONDS'] ?? 30);
const CONCURRENCY = Number(process.env['ROBUSTNESS_SOAK_CONCURRENCY'] ?? 16);

const newProject = testProjects();

/** Resident set size of a process in MiB, from /proc. */
function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`soak on ${engine}`, () => {
    it(`${SECONDS} s of reads, writes and logins at concurrency ${CONCURRENCY}: no 5xx, no lost write, flat memory`, async () => {
      const project = await newProject({ database: engine === 'sqlite' ? 'sqlite' : { postgres: testDatabaseUrl() } });
      const server = await ServerProcess.start(project);
      const pid = ((await (await fetch(`${server.url}/api/pid/`)).json()) as { pid: number }).pid;

      const statuses = new Map<string, number>();
      let sent = 0;
      let failed = 0;
      let acknowledged = 0;
      const count = (key: string): void => void statuses.set(key, (statuses.get(key) ?? 0) + 1);
      const deadline = Date.now() + SECONDS * 1000;
      const memory: number[] = [];
      const sampler = setInterval(() => memory.push(rssMiB(pid)), 1000);

      const client = async (id: number): Promise<void> => {
        for (let n = 0; Date.now() < deadline; n++) {
          const roll = (id * 7919 + n * 104_729) % 100;
          try {
            if (roll < 10) {
              // A full login: page + token + argon2 + new session.
              const session = new BrowserSession(server.url);
              const response = await session.login(SUPERUSER.username, SUPERUSER.password, '/whoami/');
              sent += 2;
              count(`login ${response.status}`);
              if (response.status !== 302) failed++;
            } else if (roll < 45) {
              const response = await fetch(`${server.url}/api/items/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: `soak-${id}-${n}` }), signal: AbortSignal.timeout(30_000) });
              await response.arrayBuffer();
              sent++;
              count(`write ${response.status}`);
              if (response.status === 201) acknowledged++;
              else failed++;
            } else {
              const response = await fetch(`${server.url}/items/count/`, { signal: AbortSignal.timeout(30_000) });
              await response.arrayBuffer();
              sent++;
              count(`read ${response.status}`);
              if (response.status !== 200) failed++;
            }
          } catch (error) {
            sent++;
            failed++;
            count(`error ${(error as Error).name}`);
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, (_, id) => client(id)));
      clearInterval(sampler);

      const rows = ((await (await fetch(`${server.url}/items/count/`)).json()) as { count: number }).count;
      const summary = JSON.stringify(Object.fromEntries(statuses));
      recordTally({ category: 'load', label: `soak ${engine}`, tried: sent, passed: sent - failed });
      recordTally({ category: 'writes', label: `soak ${engine}`, tried: acknowledged, passed: Math.min(rows, acknowledged) });
      process.stdout.write(`[soak ${engine}] ${sent} requests in ${SECONDS} s, ${failed} failed; writes acknowledged ${acknowledged}, rows ${rows}; RSS MiB ${memory.map((m) => m.toFixed(0)).join(' ')}\n${summary}\n`);

      expect(server.alive, server.stderr).toBe(true);
      expect(failed, summary).toBe(0);
      expect([...statuses.keys()].filter((key) => / 5\d\d$/.test(key)), summary).toEqual([]);
      expect(rows, 'rows found vs writes acknowledged').toBe(acknowledged);
      // Memory flat: after warm-up (the first quarter), the end is not far above the warm level.
      const warm = median(memory.slice(Math.floor(memory.length / 4), Math.floor(memory.length / 2)));
      const end = median(memory.slice(-5));
      expect(end, `RSS warm ${warm.toFixed(0)} MiB, end ${end.toFixed(0)} MiB`).toBeLessThan(warm * 1.5 + 32);
      await server.stop();
    }, (SECONDS + 120) * 1000);
  });
}
