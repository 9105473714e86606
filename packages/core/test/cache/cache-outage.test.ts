import { afterAll, describe, expect, it } from 'vitest';
import { Cache, CacheUnavailable, MemcachedStore, RedisStore, type CacheStore } from '../../src/cache/index.js';
import { freePort, TestServer } from './servers.js';

/** A Cache whose warnings are collected. */
function observed(store: CacheStore, warnInterval = 60_000): { cache: Cache; lines: string[] } {
  const lines: string[] = [];
  const cache = new Cache(store, { alias: 'shared', keyPrefix: 'outage', log: (line) => lines.push(line), warnInterval, strictKeys: store.name === 'memcached' });
  return { cache, lines };
}

/** Every operation on an unreachable server: a miss or false, never an exception (incr: CacheUnavailable). */
async function expectDegradedToMisses(cache: Cache, lines: string[]): Promise<void> {
  expect(await cache.get('k')).toBeUndefined();
  expect(await cache.get('k', 'fallback')).toBe('fallback');
  expect(await cache.set('k', 'v')).toBe(false);
  expect(await cache.add('k', 'v')).toBe(false);
  expect(await cache.delete('k')).toBe(false);
  expect(await cache.has('k')).toBe(false);
  expect(await cache.touch('k', 10)).toBe(false);
  expect((await cache.getMany(['a', 'b'])).size).toBe(0);
  expect(await cache.setMany({ a: 1, b: 2 })).toEqual(['a', 'b']);
  expect(await cache.deleteMany(['a'])).toBe(false);
  expect(await cache.clear()).toBe(false);
  let computed = 0;
  expect(await cache.getOrSet('g', () => ++computed)).toBe(1);
  expect(await cache.getOrSet('g', () => ++computed)).toBe(2);
  await expect(cache.incr('n')).rejects.toBeInstanceOf(CacheUnavailable);
  await expect(cache.incr('n')).rejects.toMatchObject({ status: 503, code: 'E_CACHE_UNAVAILABLE' });
  // One warning for the whole burst, naming the alias and backend.
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/atrium cache 'shared' \((redis|memcached)\) is unavailable; get treated as a miss/);
}

describe('cache outage: nothing listens on the port', () => {
  const stores: CacheStore[] = [];
  afterAll(async () => {
    for (const store of stores) await store.close();
  });

  it('redis degrades to misses with one rate-limited warning', async () => {
    const store = new RedisStore({ url: `redis://127.0.0.1:${await freePort()}/0`, timeout: 300 });
    stores.push(store);
    const { cache, lines } = observed(store);
    await expectDegradedToMisses(cache, lines);
  });

  it('memcached degrades to misses with one rate-limited warning', async () => {
    const store = new MemcachedStore({ servers: `127.0.0.1:${await freePort()}`, timeout: 300 });
    stores.push(store);
    const { cache, lines } = observed(store);
    await expectDegradedToMisses(cache, lines);
  });

  it('the warning repeats after the interval and counts what it held back', async () => {
    const store = new RedisStore({ url: `redis://127.0.0.1:${await freePort()}/0`, timeout: 300 });
    stores.push(store);
    // An interval far longer than three refused gets take even on a loaded machine (a 50 ms one
    // let a slow get start a second warning early and flaked), then a wait just past it.
    const { cache, lines } = observed(store, 1_000);
    await cache.get('a');
    await cache.get('b');
    await cache.get('c');
    expect(lines).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await cache.get('d');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/\(2 similar warnings suppressed\)$/);
  });
});

describe.each(['redis', 'memcached'] as const)('cache outage: the %s server goes away and comes back', (kind) => {
  it('serves, degrades to misses while down, and recovers without a restart', async () => {
    const server = await TestServer.start(kind);
    const store: CacheStore =
      kind === 'redis' ? new RedisStore({ url: `redis://127.0.0.1:${server.port}/0`, timeout: 300 }) : new MemcachedStore({ servers: `127.0.0.1:${server.port}`, timeout: 300 });
    const { cache, lines } = observed(store);
    try {
      expect(await cache.set('k', 'v')).toBe(true);
      expect(await cache.get('k')).toBe('v');

      await server.stop();
      expect(await cache.get('k')).toBeUndefined();
      expect(await cache.get('k', 'd')).toBe('d');
      expect(await cache.set('k', 'w')).toBe(false);
      expect(await cache.getOrSet('x', () => 'computed')).toBe('computed');
      expect(lines.length).toBe(1);

      await server.start();
      // Reconnection happens in the background; poll (bounded) until the cache answers again.
      let stored = false;
      for (let attempt = 0; attempt < 60 && !stored; attempt++) {
        stored = await cache.set('k', 'back');
        if (!stored) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(stored).toBe(true);
      expect(await cache.get('k')).toBe('back');
    } finally {
      await store.close();
      await server.stop();
    }
  });
});
