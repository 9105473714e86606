import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { json, path, text, type Application, type HttpRequest } from '@atrium/core';
import { TestClient } from '@atrium/core/testing';
import { MemorySessionStore, RedisSessionStore, Session, SignedCookieSessionStore, SessionStoreUnavailable, registerSessionEngine } from '../src/index.js';
import { authApplication, fakeClock, SECRET_KEY } from './fixtures.js';
import { sessionStoreConformance } from './session-store-conformance.js';
import { RedisProxy } from './redis-proxy.js';

const REDIS_URL = 'redis://127.0.0.1:6379/15';
const prefix = `atrium-test:${randomBytes(4).toString('hex')}:`;

sessionStoreConformance('memory', () => {
  const clock = fakeClock(Date.now());
  return { store: new MemorySessionStore({ now: clock.now }), advance: async (ms) => clock.advance(ms) };
});

sessionStoreConformance('signed_cookies', () => {
  const clock = fakeClock(Date.now());
  return { store: new SignedCookieSessionStore({ secretKey: SECRET_KEY, maxAge: 3600, now: clock.now }), advance: async (ms) => clock.advance(ms) };
});

sessionStoreConformance('redis', () => {
  const store = new RedisSessionStore({ url: REDIS_URL, keyPrefix: prefix });
  return { store, advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), close: () => store.close() };
});

describe('signed cookie store specifics', () => {
  it('refuses cookies signed with another key, and accepts SECRET_KEY_FALLBACKS', async () => {
    const old = new SignedCookieSessionStore({ secretKey: 'an-old-secret-key-of-sufficient-length-000', maxAge: 3600 });
    const cookie = await old.save('k', { user: 1 }, new Date(Date.now() + 60_000));
    expect(await new SignedCookieSessionStore({ secretKey: SECRET_KEY, maxAge: 3600 }).load(cookie)).toBeNull();
    const rotated = new SignedCookieSessionStore({ secretKey: SECRET_KEY, fallbackKeys: ['an-old-secret-key-of-sufficient-length-000'], maxAge: 3600 });
    expect(await rotated.load(cookie)).toEqual({ user: 1 });
  });

  it('refuses data too large for a cookie with a clear error', async () => {
    const store = new SignedCookieSessionStore({ secretKey: SECRET_KEY, maxAge: 3600 });
    await expect(store.save('k', { blob: 'x'.repeat(5000) }, new Date(Date.now() + 1000))).rejects.toThrow(/browsers drop cookies over 4000.*SESSION_ENGINE 'redis'/);
  });
});

describe('Session', () => {
  const options = { cookieAge: 100, expireAtBrowserClose: false, onStoreFailure: 'error' as const };

  it('loads lazily: no store call until the data is used', async () => {
    let loads = 0;
    const store = new MemorySessionStore();
    const original = store.load.bind(store);
    store.load = async (key) => {
      loads++;
      return original(key);
    };
    const session = new Session(store, await store.createKey(), options);
    expect(loads).toBe(0);
    expect(session.accessed).toBe(false);
    await session.get('a');
    await session.get('b');
    expect(loads).toBe(1);
    expect(session.accessed).toBe(true);
  });

  it('keeps a custom expiry, including browser-close', async () => {
    const clock = fakeClock();
    const session = new Session(new MemorySessionStore(), null, { ...options, now: clock.now });
    expect(session.expiryAge()).toBe(100);
    await session.setExpiry(30);
    expect(session.expiryAge()).toBe(30);
    await session.setExpiry(new Date(clock.now() + 10_000));
    expect(session.expiryAge()).toBe(10);
    await session.setExpiry(0);
    expect(session.expiresAtBrowserClose()).toBe(true);
    await session.setExpiry(null);
    expect(session.expiresAtBrowserClose()).toBe(false);
    expect(await session.keys()).toEqual([]);
  });

  it('refuses prototype keys', async () => {
    const session = new Session(new MemorySessionStore(), null, options);
    await expect(session.set('__proto__', 1)).rejects.toThrow(/cannot be a session key/);
  });
});

/** Views that drive a session through the middleware. */
const routes = [
  path('set/', async (request: HttpRequest) => {
    for (const [k, v] of request.query.entries()) await request.state.session!.set(k, v);
    return text('set');
  }),
  path('get/', async (request: HttpRequest) => json(await request.state.session!.toJSON())),
  path('login/', async (request: HttpRequest) => {
    await request.state.session!.cycleKey();
    await request.state.session!.set('_auth_user_id', '1');
    return text('logged in');
  }),
  path('logout/', async (request: HttpRequest) => {
    await request.state.session!.flush();
    return text('logged out');
  }),
  path('noop/', () => text('noop')),
];

const apps: Application[] = [];
afterAll(async () => {
  for (const app of apps) await app.close();
  // Remove what these tests stored in Redis (middleware sessions live two weeks otherwise).
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});
async function appWith(settings: Record<string, unknown>): Promise<Application> {
  const app = await authApplication(routes, settings);
  apps.push(app);
  return app;
}

for (const engine of ['memory', 'redis', 'signed_cookies']) {
  describe(`session middleware with SESSION_ENGINE '${engine}'`, () => {
    const settings = { SESSION_ENGINE: engine, SESSION_REDIS_URL: REDIS_URL, SESSION_REDIS_KEY_PREFIX: prefix };

    it('sets no cookie for a request that does not touch the session', async () => {
      const client = new TestClient(await appWith(settings));
      const res = await client.get('/noop/');
      expect(res.headers.get('set-cookie')).toBeUndefined();
      expect(res.headers.get('vary')).toBeUndefined();
    });

    it('saves a modified session in an HttpOnly, SameSite=Lax cookie and reads it back', async () => {
      const client = new TestClient(await appWith(settings));
      const res = await client.get('/set/?colour=green');
      expect(res.headers.get('set-cookie')).toMatch(/^sessionid=[^;]+; Max-Age=1209600; Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/);
      expect(res.headers.get('vary')).toBe('Cookie');
      expect(await (await client.get('/get/')).json()).toEqual({ colour: 'green' });
    });

    it('marks the cookie Secure on HTTPS, and honours SESSION_EXPIRE_AT_BROWSER_CLOSE', async () => {
      const client = new TestClient(await appWith({ ...settings, SESSION_EXPIRE_AT_BROWSER_CLOSE: true }));
      const cookie = (await client.get('/set/?a=1', { secure: true })).headers.get('set-cookie')!;
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).not.toMatch(/Max-Age/);
    });

    it('cycles the key at login (fixation) and flushes at logout', async () => {
      const client = new TestClient(await appWith(settings));
      await client.get('/set/?planted=yes');
      const planted = client.cookies.get('sessionid')!;
      await client.get('/login/');
      const afterLogin = client.cookies.get('sessionid')!;
      expect(afterLogin).not.toBe(planted);
      expect(await (await client.get('/get/')).json()).toEqual({ planted: 'yes', _auth_user_id: '1' });

      // The attacker's copy of the planted key is worthless (server-side stores).
      const attacker = new TestClient(apps.at(-1)!);
      attacker.cookies.set('sessionid', planted);
      const seen = await (await attacker.get('/get/')).json();
      if (engine !== 'signed_cookies') expect(seen).toEqual({});

      const out = await client.get('/logout/');
      expect(out.headers.get('set-cookie')).toMatch(/^sessionid=; Max-Age=0;/);
      expect(client.cookies.get('sessionid')).toBeUndefined();
      // Replaying the logged-in cookie after logout gives nothing on revocable stores.
      const replay = new TestClient(apps.at(-1)!);
      replay.cookies.set('sessionid', afterLogin);
      const replayed = await (await replay.get('/get/')).json();
      if (engine !== 'signed_cookies') expect(replayed).toEqual({});
    });

    it('ignores an unknown or forged session cookie and removes it', async () => {
      const client = new TestClient(await appWith(settings));
      client.cookies.set('sessionid', 'forged-value');
      expect(await (await client.get('/get/')).json()).toEqual({});
      expect(client.cookies.get('sessionid')).toBeUndefined();
    });
  });
}

describe('a custom session engine', () => {
  it('plugs in through registerSessionEngine (as the database one will)', async () => {
    const store = new MemorySessionStore();
    registerSessionEngine('test_engine', () => store);
    const client = new TestClient(await appWith({ SESSION_ENGINE: 'test_engine' }));
    await client.get('/set/?x=1');
    expect(await store.load(client.cookies.get('sessionid')!)).toEqual({ x: '1' });
  });

  it('refuses an unknown engine at start-up, naming it', async () => {
    await expect(authApplication(routes, { SESSION_ENGINE: 'dbb' })).rejects.toThrow(/SESSION_ENGINE is 'dbb', which is not a known session engine; known: .*redis/);
  });
});

describe('Redis outage fails closed', () => {
  const down = { SESSION_ENGINE: 'redis', SESSION_REDIS_URL: 'redis://127.0.0.1:1/0', SESSION_REDIS_TIMEOUT: 300 };

  it("answers 503 quickly with SESSION_STORE_FAILURE 'error', and keeps serving", async () => {
    const app = await appWith(down);
    const client = new TestClient(app);
    client.cookies.set('sessionid', 'A'.repeat(32));
    const started = performance.now();
    const res = await client.get('/get/');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    // Every later request also answers (no crash, no hang), and pages that do not use the session work.
    expect((await client.get('/get/')).status).toBe(503);
    expect((await client.get('/noop/')).status).toBe(200);
    // The client's cookie is not thrown away because of an outage.
    expect(client.cookies.get('sessionid')).toBe('A'.repeat(32));
  });

  it("serves an empty, unsaved session with SESSION_STORE_FAILURE 'anonymous'", async () => {
    const writes: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => writes.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      const client = new TestClient(await appWith({ ...down, SESSION_STORE_FAILURE: 'anonymous' }));
      client.cookies.set('sessionid', 'A'.repeat(32));
      const res = await client.get('/get/');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({});
      const set = await client.get('/set/?user=1');
      expect(set.status).toBe(200);
      expect(set.headers.get('set-cookie')).toBeUndefined();
      expect(client.cookies.get('sessionid')).toBe('A'.repeat(32));
    } finally {
      process.stderr.write = original;
    }
    expect(writes.join('')).toMatch(/Session store 'redis' failed .*empty session/);
  });

  it('makes a store call fail with SessionStoreUnavailable, not hang', async () => {
    const store = new RedisSessionStore({ url: 'redis://127.0.0.1:1/0', timeout: 200 });
    const session = new Session(store, 'A'.repeat(32), { cookieAge: 10, expireAtBrowserClose: false, onStoreFailure: 'error' });
    const error = await session.get('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionStoreUnavailable);
    expect((error as SessionStoreUnavailable).status).toBe(503);
    await store.close();
  });

  it('recovers by itself when Redis comes back', async () => {
    const proxy = new RedisProxy();
    await proxy.start();
    const client = new TestClient(await appWith({ SESSION_ENGINE: 'redis', SESSION_REDIS_URL: `redis://127.0.0.1:${proxy.port}/15`, SESSION_REDIS_KEY_PREFIX: prefix, SESSION_REDIS_TIMEOUT: 300 }));
    await client.get('/set/?user=ada');
    expect(await (await client.get('/get/')).json()).toEqual({ user: 'ada' });

    await proxy.stop();
    expect((await client.get('/get/')).status).toBe(503);

    await proxy.start();
    // ioredis reconnects in the background (100 ms, then 200 ms...); poll in short steps.
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = (await client.get('/get/')).status;
    }
    expect(status).toBe(200);
    expect(await (await client.get('/get/')).json()).toEqual({ user: 'ada' });
    await proxy.stop();
  });
});
