import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession } from '../support/browser-session.js';
import { FAULT_REDIS_URL, faultRedisUnavailable, startFaultRedis, stopFaultRedis } from '../support/fault-services.js';
import { createTestProject, SUPERUSER, type TestProject } from '../support/project.js';
import { killAllServers, ServerProcess } from '../support/server-process.js';
import { recordFault } from '../support/tally.js';

/**
 * Redis stopped and restarted under a running server (a Redis of the fault
 * tests' own on port 6390 — never the shared one): the cache degrades to
 * misses (the page still answers 200), sessions stored in Redis fail closed
 * (nobody is treated as logged in: a 503, never a 500 or someone's session),
 * and both recover by themselves when Redis is back.
 */
const unavailable = await faultRedisUnavailable();

describe.skipIf(unavailable !== null)(`Redis down and back${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let project: TestProject;
  let server: ServerProcess;

  beforeAll(async () => {
    await startFaultRedis();
    project = await createTestProject({
      database: 'sqlite',
      settings: { CACHES: { default: { BACKEND: 'redis', LOCATION: FAULT_REDIS_URL } }, SESSION_ENGINE: 'redis', SESSION_REDIS_URL: FAULT_REDIS_URL, SESSION_REDIS_KEY_PREFIX: `robust:${process.pid}:` },
    });
    server = await ServerProcess.start(project);
  }, 120_000);

  afterAll(async () => {
    // Always bring Redis back, whatever happened.
    await startFaultRedis();
    await server?.stop();
    killAllServers();
    await project?.cleanup();
  }, 60_000);

  it('cache reads become misses and Redis sessions fail closed while Redis is down; both recover without a restart', async () => {
    let survived = false;
    try {
      const session = new BrowserSession(server.url);
      expect((await session.login(SUPERUSER.username, SUPERUSER.password, '/whoami/')).status).toBe(302);
      expect(JSON.parse((await session.request('/whoami/')).text)).toEqual({ username: SUPERUSER.username });
      await session.request('/api/cached-count/');
      expect(JSON.parse((await session.request('/api/cached-count/')).text)).toMatchObject({ hit: true });

      await stopFaultRedis();
      // Cache: a miss computed from the database, answered 200, quickly.
      const anonymous = new BrowserSession(server.url);
      const started = Date.now();
      const cached = await anonymous.request('/api/cached-count/');
      expect(cached.status).toBe(200);
      expect(JSON.parse(cached.text)).toMatchObject({ hit: false });
      expect(Date.now() - started).toBeLessThan(5_000);
      // Sessions: the logged-in browser is not treated as logged in — the store is down, so the answer is a 503.
      const whoami = await session.request('/whoami/');
      expect(whoami.status, whoami.text).toBe(503);
      expect(whoami.text).not.toContain(SUPERUSER.username);
      expect(server.alive).toBe(true);

      await startFaultRedis();
      // Recovery: the session is still there (Redis kept nothing, so it is gone: anonymous), the cache hits again.
      const deadline = Date.now() + 15_000;
      let after = await session.request('/whoami/');
      while (after.status !== 200 && Date.now() < deadline) {
        await new Promise((wait) => setTimeout(wait, 250));
        after = await session.request('/whoami/');
      }
      expect(after.status).toBe(200);
      expect(JSON.parse(after.text)).toEqual({ username: null });
      await anonymous.request('/api/cached-count/');
      expect(JSON.parse((await anonymous.request('/api/cached-count/')).text)).toMatchObject({ hit: true });
      expect(server.stderr).not.toMatch(/500 Internal Server Error|uncaught|unhandled/i);
      survived = true;
    } finally {
      recordFault('Redis stopped and restarted (cache and sessions)', survived);
    }
  }, 90_000);
});
