import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { json, path, type Application, type HttpRequest } from '@atrium/core';
import { TestClient } from '@atrium/core/testing';
import { DatabaseSessionStore, SessionRecord, clearsessions, sessionEngineName, sessionStore } from '../src/index.js';
import { authApplication, fakeClock } from './fixtures.js';
import { forEachDatabase } from './support/databases.js';
import { authTables, siteApplication } from './support/site.js';
import { sessionStoreConformance } from './session-store-conformance.js';

describe('the default session engine', () => {
  it("is 'signed_cookies' without the orm app, and SESSION_ENGINE wins when set", async () => {
    const plain = await authApplication([]);
    expect(sessionEngineName(plain.context)).toBe('signed_cookies');
    await plain.close();
    const memory = await authApplication([], { SESSION_ENGINE: 'memory' });
    expect(sessionEngineName(memory.context)).toBe('memory');
    await memory.close();
  });
});

forEachDatabase(
  'database session store',
  (db) => {
    sessionStoreConformance(`db (${db.dialect})`, () => {
      const clock = fakeClock(Date.now());
      return { store: new DatabaseSessionStore({ now: clock.now }), advance: async (ms) => clock.advance(ms) };
    });

    describe('in a project', () => {
      let app: Application;
      beforeAll(async () => {
        app = await siteApplication([
          path('visit/', async (request: HttpRequest) => {
            const session = request.state.session!;
            const visits = ((await session.get<number>('visits')) ?? 0) + 1;
            await session.set('visits', visits);
            return json({ visits });
          }),
        ]);
      });
      afterAll(() => app.close());
      beforeEach(() => db.flush(authTables()));

      it("is the 'db' engine by default, storing rows in auth_session", async () => {
        expect(sessionEngineName(app.context)).toBe('db');
        expect(sessionStore(app.context)).toBeInstanceOf(DatabaseSessionStore);
        const client = new TestClient(app);
        expect(await (await client.get('/visit/')).json()).toEqual({ visits: 1 });
        expect(await (await client.get('/visit/')).json()).toEqual({ visits: 2 });
        const rows = await SessionRecord.objects.all();
        expect(rows).toHaveLength(1);
        expect(rows[0]!.sessionKey).toBe(client.cookies.get('sessionid'));
        expect(JSON.parse(rows[0]!.sessionData)).toEqual({ visits: 2 });
        expect(rows[0]!.expireDate.getTime()).toBeGreaterThan(Date.now() + 1_000_000_000);
      });

      it('clearsessions deletes expired rows only', async () => {
        const store = new DatabaseSessionStore();
        const live = await store.save(await store.createKey(), { a: 1 }, new Date(Date.now() + 60_000));
        await store.save(await store.createKey(), { b: 1 }, new Date(Date.now() - 1000));
        await store.save(await store.createKey(), { c: 1 }, new Date(Date.now() - 5000));
        let out = '';
        const stdout = { write: (chunk: string) => ((out += chunk), true) };
        const code = await clearsessions.run({ project: { context: app.context } as never, cwd: process.cwd(), stdout: stdout as never, stderr: stdout as never }, [], {});
        expect(code).toBe(0);
        expect(out).toBe("Removed 2 expired sessions (SESSION_ENGINE 'db').\n");
        expect(await SessionRecord.objects.valuesList('sessionKey', { flat: true })).toEqual([live]);
      });

      it('ignores keys that are not session keys without querying for them', async () => {
        const store = new DatabaseSessionStore();
        expect(await store.load("x' or '1'='1")).toBeNull();
        expect(await store.exists('a'.repeat(500))).toBe(false);
        await store.delete('../../etc');
      });
    });
  },
  { models: authTables },
);
