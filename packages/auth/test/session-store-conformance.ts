import { describe, expect, it, afterAll } from 'vitest';
import { Session, type SessionStore } from '../src/index.js';

/** One backend under test: a store, and a way to let time pass for it. */
export interface StoreHarness {
  store: SessionStore;
  /** Let `ms` pass (a fake clock, or a short real wait for Redis). */
  advance(ms: number): Promise<void>;
  close?(): Promise<void>;
}

const sessionOptions = { cookieAge: 3600, expireAtBrowserClose: false, onStoreFailure: 'error' as const };

/**
 * The contract every session store keeps, run once per backend (as Hono runs
 * one router suite against every router).
 */
export function sessionStoreConformance(name: string, make: () => StoreHarness | Promise<StoreHarness>): void {
  describe(`session store conformance: ${name}`, () => {
    const harnesses: StoreHarness[] = [];
    const setup = async (): Promise<StoreHarness> => {
      const h = await make();
      harnesses.push(h);
      return h;
    };
    afterAll(async () => {
      for (const h of harnesses) await h.close?.();
    });

    it('creates distinct keys of at least 128 bits', async () => {
      const { store } = await setup();
      const keys = await Promise.all(Array.from({ length: 20 }, () => store.createKey()));
      expect(new Set(keys).size).toBe(20);
      for (const key of keys) expect(Buffer.from(key, 'base64url').length).toBeGreaterThanOrEqual(16);
    });

    it('round-trips JSON data through save and load', async () => {
      const { store } = await setup();
      const data = { user: 42, cart: ['a', 'b'], nested: { ok: true, n: null }, text: 'héllo ✓ <b>' };
      const key = await store.createKey();
      const cookie = await store.save(key, data, new Date(Date.now() + 60_000));
      expect(await store.load(cookie)).toEqual(data);
      expect(await store.exists(cookie)).toBe(true);
    });

    it('gives null for unknown, garbage or tampered keys', async () => {
      const { store } = await setup();
      expect(await store.load(await store.createKey())).toBeNull();
      expect(await store.load('not a key at all')).toBeNull();
      expect(await store.load('x'.repeat(5000))).toBeNull();
      const cookie = await store.save(await store.createKey(), { user: 1 }, new Date(Date.now() + 60_000));
      const tampered = cookie.slice(0, -2) + (cookie.endsWith('A') ? 'BB' : 'AA');
      expect(await store.load(tampered)).toBeNull();
      expect(await store.exists('nope')).toBe(false);
    });

    it('expires sessions', async () => {
      const { store, advance } = await setup();
      const cookie = await store.save(await store.createKey(), { user: 1 }, new Date(Date.now() + 20));
      await advance(45);
      expect(await store.load(cookie)).toBeNull();
      expect(typeof (await store.clearExpired())).toBe('number');
    });

    it('deletes sessions (revocable stores)', async () => {
      const { store } = await setup();
      const cookie = await store.save(await store.createKey(), { user: 1 }, new Date(Date.now() + 60_000));
      await store.delete(cookie);
      // A signed cookie cannot be revoked: the client's copy stays valid until it expires (documented).
      expect(await store.load(cookie)).toEqual(store.revocable ? null : { user: 1 });
      expect(await store.exists(cookie)).toBe(!store.revocable);
    });

    it('cycleKey gives a new key, keeps the data, and invalidates the old key', async () => {
      const { store } = await setup();
      const first = new Session(store, null, sessionOptions);
      await first.set('cart', ['x']);
      const oldKey = (await first.save())!;
      const session = new Session(store, oldKey, sessionOptions);
      expect(await session.get('cart')).toEqual(['x']);
      await session.cycleKey();
      expect(session.key).not.toBeNull();
      expect(session.key).not.toBe(oldKey);
      expect(session.modified).toBe(true);
      expect(await store.load(session.key!)).toEqual({ cart: ['x'] });
      if (store.revocable) expect(await store.load(oldKey)).toBeNull();
    });

    it('flush empties the session, drops the key and deletes it from the store', async () => {
      const { store } = await setup();
      const first = new Session(store, null, sessionOptions);
      await first.set('_auth_user_id', '7');
      const oldKey = (await first.save())!;
      const session = new Session(store, oldKey, sessionOptions);
      await session.flush();
      expect(session.key).toBeNull();
      expect(await session.keys()).toEqual([]);
      expect(session.isEmpty).toBe(true);
      expect(await session.save()).toBeNull();
      if (store.revocable) expect(await store.load(oldKey)).toBeNull();
    });
  });
}
