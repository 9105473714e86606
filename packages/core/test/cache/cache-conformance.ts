import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Cache, type CacheOptions, type CacheStore } from '../../src/cache/index.js';

/** One backend under test: a store, and a way to let time pass for it. */
export interface CacheHarness {
  store: CacheStore;
  /** Let `ms` pass for the store's expiry (a fake clock, or a real wait). */
  advance(ms: number): Promise<void>;
  /** The shortest timeout (seconds) the backend keeps to: 1 for memcached, less elsewhere. */
  shortTimeout: number;
  /** clear() empties the whole server, not just the prefix (memcached). */
  clearIsGlobal?: boolean;
  /** Counters cannot go below zero (memcached). */
  unsignedCounters?: boolean;
  close?(): Promise<void>;
}

/**
 * The contract every cache backend keeps, run once per backend (as Hono runs
 * one router suite against every router). Each test uses its own KEY_PREFIX,
 * so the suite can run against a server other tests share.
 */
export function cacheConformance(name: string, make: () => CacheHarness | Promise<CacheHarness>): void {
  describe(`cache conformance: ${name}`, () => {
    let harness: CacheHarness | undefined;
    const setup = async (options: CacheOptions = {}): Promise<{ cache: Cache; h: CacheHarness }> => {
      harness ??= await make();
      const cache = new Cache(harness.store, { keyPrefix: `t${randomUUID().slice(0, 8)}`, strictKeys: harness.store.name === 'memcached', ...options });
      return { cache, h: harness };
    };
    afterAll(async () => {
      await harness?.close?.();
    });

    it('round-trips JSON values, Date, Buffer and bigint', async () => {
      const { cache } = await setup();
      const values: Record<string, unknown> = {
        text: 'héllo ✓ <b>',
        empty: '',
        int: 42,
        float: 1.5,
        negative: -7,
        yes: true,
        nil: null,
        list: [1, 'two', { three: 3 }],
        nested: { a: { b: [null, false] } },
        date: new Date('2026-01-02T03:04:05.678Z'),
        bytes: Buffer.from([0, 1, 2, 255]),
        big: 12345678901234567890n,
        mixed: { when: new Date(0), raw: Buffer.from('x'), tagLike: { $atrium: 'date', v: 'not a date' } },
      };
      for (const [key, value] of Object.entries(values)) expect(await cache.set(key, value)).toBe(true);
      for (const [key, value] of Object.entries(values)) expect(await cache.get(key)).toEqual(value);
      expect(await cache.get('date')).toBeInstanceOf(Date);
      expect(Buffer.isBuffer(await cache.get('bytes'))).toBe(true);
    });

    it('keeps a __proto__ key as data, never as a prototype', async () => {
      const { cache } = await setup();
      const value = JSON.parse('{"__proto__":{"polluted":true},"ok":1}') as Record<string, unknown>;
      await cache.set('proto', value);
      const back = (await cache.get<Record<string, unknown>>('proto'))!;
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(back['ok']).toBe(1);
    });

    it('returns undefined or the default on a miss', async () => {
      const { cache } = await setup();
      expect(await cache.get('missing')).toBeUndefined();
      expect(await cache.get('missing', 'fallback')).toBe('fallback');
      expect(await cache.has('missing')).toBe(false);
      await cache.set('present', 0);
      expect(await cache.get('present', 5)).toBe(0);
      expect(await cache.has('present')).toBe(true);
    });

    it('refuses undefined and functions as values', async () => {
      const { cache } = await setup();
      await expect(cache.set('u', undefined)).rejects.toMatchObject({ code: 'E_CACHE_VALUE' });
      await expect(cache.set('f', { run: () => 1 })).rejects.toMatchObject({ code: 'E_CACHE_VALUE' });
    });

    it('add stores only when absent', async () => {
      const { cache } = await setup();
      expect(await cache.add('k', 'first')).toBe(true);
      expect(await cache.add('k', 'second')).toBe(false);
      expect(await cache.get('k')).toBe('first');
    });

    it('delete reports whether the key was there', async () => {
      const { cache } = await setup();
      await cache.set('k', 1);
      expect(await cache.delete('k')).toBe(true);
      expect(await cache.delete('k')).toBe(false);
      expect(await cache.get('k')).toBeUndefined();
    });

    it('getMany, setMany and deleteMany', async () => {
      const { cache } = await setup();
      expect(await cache.setMany({ a: 1, b: 'two', c: [3] })).toEqual([]);
      expect(await cache.setMany(new Map([['d', { four: 4 }]]))).toEqual([]);
      const found = await cache.getMany(['a', 'b', 'c', 'd', 'nope']);
      expect([...found.entries()].sort()).toEqual([
        ['a', 1],
        ['b', 'two'],
        ['c', [3]],
        ['d', { four: 4 }],
      ]);
      expect((await cache.getMany([])).size).toBe(0);
      expect(await cache.deleteMany(['a', 'b', 'nope'])).toBe(true);
      expect([...(await cache.getMany(['a', 'b', 'c'])).keys()]).toEqual(['c']);
    });

    it('getOrSetMany returns values in key order, computing the misses in one call and storing them', async () => {
      const { cache } = await setup();
      await cache.setMany({ a: 1, b: { two: 2 } });
      const calls: string[][] = [];
      const compute = async (missing: string[]): Promise<Map<string, unknown>> => {
        calls.push(missing);
        // 'gone' is left out: it stays undefined and is not stored.
        return new Map<string, unknown>([
          ['x', { x: true }],
          ['y', [9]],
          ['unasked', 0],
        ]);
      };
      const values = await cache.getOrSetMany(['a', 'x', 'b', 'gone', 'x', 'y'], compute, 60);
      expect(values).toEqual([1, { x: true }, { two: 2 }, undefined, { x: true }, [9]]);
      expect(calls).toEqual([['x', 'gone', 'y']]);
      expect([...(await cache.getMany(['x', 'y', 'gone', 'unasked'])).entries()].sort()).toEqual([
        ['x', { x: true }],
        ['y', [9]],
      ]);
      // All hits now: compute is not called; a plain object works as the result too.
      expect(await cache.getOrSetMany(['y', 'a'], () => ({ never: 1 }))).toEqual([[9], 1]);
      expect(await cache.getOrSetMany(['gone'], () => ({ gone: 'here' }))).toEqual(['here']);
      expect(await cache.get('gone')).toBe('here');
      expect(calls).toHaveLength(1);
      expect(await cache.getOrSetMany([], compute)).toEqual([]);
      // Versions apply to the read and to the store.
      expect(await cache.getOrSetMany(['a'], () => ({ a: 'v2' }), 60, { version: 2 })).toEqual(['v2']);
      expect(await cache.get('a')).toBe(1);
      expect(await cache.get('a', undefined, { version: 2 })).toBe('v2');
    });

    it('incr and decr integers atomically; a missing key or a non-integer is an error', async () => {
      const { cache, h } = await setup();
      await cache.set('n', 10);
      expect(await cache.incr('n')).toBe(11);
      expect(await cache.incr('n', 5)).toBe(16);
      expect(await cache.decr('n', 6)).toBe(10);
      expect(await cache.get('n')).toBe(10);
      if (!h.unsignedCounters) expect(await cache.decr('n', 15)).toBe(-5);
            await expect(cache.incr('absent')).rejects.toMatchObject({ code: 'E_CACHE_KEY_MISSING' });
      expect(await cache.has('absent')).toBe(false);
      await cache.set('word', 'abc');
      await expect(cache.incr('word')).rejects.toMatchObject({ code: 'E_CACHE_VALUE' });
      const counts = await Promise.all(Array.from({ length: 20 }, () => cache.incr('n')));
      expect(new Set(counts).size).toBe(20);
    });

    it('expires entries after their timeout; null keeps them, 0 does not store', async () => {
      const { cache, h } = await setup();
      await cache.set('short', 'x', h.shortTimeout);
      await cache.set('forever', 'y', null);
      await cache.set('long', 'z', 3600);
      expect(await cache.get('short')).toBe('x');
      await h.advance(h.shortTimeout * 1000 + 50);
      expect(await cache.get('short')).toBeUndefined();
      expect(await cache.has('short')).toBe(false);
      expect(await cache.get('forever')).toBe('y');
      expect(await cache.get('long')).toBe('z');
      expect(await cache.set('zero', 'no', 0)).toBe(false);
      expect(await cache.get('zero')).toBeUndefined();
      await cache.set('long', 'gone', 0);
      expect(await cache.get('long')).toBeUndefined();
      expect(await cache.add('zero', 'no', 0)).toBe(false);
    });

    it('uses the cache default timeout, and incr keeps the expiry', async () => {
      const { cache: first, h } = await setup();
      const cache = new Cache(h.store, { keyPrefix: `${first.keyPrefix}d`, timeout: h.shortTimeout, strictKeys: h.store.name === 'memcached' });
      await cache.set('d', 1);
      await cache.incr('d');
      expect(await cache.get('d')).toBe(2);
      await h.advance(h.shortTimeout * 1000 + 50);
      expect(await cache.get('d')).toBeUndefined();
    });

    it('touch gives an existing key a new timeout', async () => {
      const { cache, h } = await setup();
      await cache.set('t', 'v', h.shortTimeout);
      expect(await cache.touch('t', 3600)).toBe(true);
      expect(await cache.touch('absent', 3600)).toBe(false);
      await cache.set('p', 'v', h.shortTimeout);
      expect(await cache.touch('p', null)).toBe(true);
      await h.advance(h.shortTimeout * 1000 + 50);
      expect(await cache.get('t')).toBe('v');
      expect(await cache.get('p')).toBe('v');
    });

    it('versions keys: another version misses; incrVersion moves the value', async () => {
      const { cache } = await setup({ version: 2 });
      expect(cache.makeKey('k')).toBe(`${cache.keyPrefix}:2:k`);
      expect(cache.makeKey('k', 5)).toBe(`${cache.keyPrefix}:5:k`);
      await cache.set('k', 'v2');
      expect(await cache.get('k', undefined, { version: 3 })).toBeUndefined();
      await cache.set('k', 'v3', undefined, { version: 3 });
      expect(await cache.get('k', undefined, { version: 3 })).toBe('v3');
      expect(await cache.get('k')).toBe('v2');
      await cache.set('m', 'moved');
      expect(await cache.incrVersion('m')).toBe(3);
      expect(await cache.get('m')).toBeUndefined();
      expect(await cache.get('m', undefined, { version: 3 })).toBe('moved');
      expect(await cache.decrVersion('m', 1, { version: 3 })).toBe(2);
      expect(await cache.get('m')).toBe('moved');
      await expect(cache.incrVersion('nothing')).rejects.toMatchObject({ code: 'E_CACHE_KEY_MISSING' });
    });

    it('keeps caches with different KEY_PREFIXes apart; clear() empties its own prefix', async () => {
      const { cache: one, h } = await setup();
      const { cache: two } = await setup();
      await one.set('same', 'one');
      await two.set('same', 'two');
      expect(await one.get('same')).toBe('one');
      expect(await two.get('same')).toBe('two');
      expect(await one.clear()).toBe(true);
      expect(await one.get('same')).toBeUndefined();
      expect(await two.get('same')).toBe(h.clearIsGlobal ? undefined : 'two');
    });

    it('getOrSet computes once for concurrent callers, then serves the cached value', async () => {
      const { cache } = await setup();
      let computations = 0;
      const compute = async (): Promise<{ n: number }> => {
        computations++;
        await new Promise((resolve) => setTimeout(resolve, 30));
        return { n: 7 };
      };
      const results = await Promise.all(Array.from({ length: 25 }, () => cache.getOrSet('hot', compute, 60)));
      expect(computations).toBe(1);
      for (const result of results) expect(result).toEqual({ n: 7 });
      expect(await cache.getOrSet('hot', compute, 60)).toEqual({ n: 7 });
      expect(computations).toBe(1);
      expect(await cache.get('hot')).toEqual({ n: 7 });
    });

    it('getOrSet lets a failing computation fail every waiter, and retries afterwards', async () => {
      const { cache } = await setup();
      let calls = 0;
      const failing = async (): Promise<number> => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 10));
        throw new Error('boom');
      };
      const settled = await Promise.allSettled([cache.getOrSet('f', failing), cache.getOrSet('f', failing)]);
      expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
      expect(calls).toBe(1);
      expect(await cache.getOrSet('f', () => 3)).toBe(3);
      expect(await cache.get('f')).toBe(3);
    });

    it('validates keys: only non-empty strings and safe integers are keys', async () => {
      const { cache } = await setup();
      await expect(cache.get('')).rejects.toMatchObject({ code: 'E_CACHE_KEY_INVALID' });
      for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, true, {}, null]) {
        await expect(cache.set(bad as unknown as string, 1)).rejects.toMatchObject({ code: 'E_CACHE_KEY_INVALID' });
      }
      await expect(cache.get(1.5)).rejects.toThrow(/non-empty string or an integer \(an id\); got 1\.5/);
      await expect(cache.getOrSetMany([1, 0.5], () => new Map())).rejects.toMatchObject({ code: 'E_CACHE_KEY_INVALID' });
    });

    it('takes integer keys as their decimal strings, in every call', async () => {
      const { cache } = await setup();
      expect(cache.makeKey(5)).toBe(cache.makeKey('5'));
      expect(await cache.set(5, { id: 5 })).toBe(true);
      expect(await cache.get(5)).toEqual({ id: 5 });
      expect(await cache.get('5')).toEqual({ id: 5 });
      expect(await cache.set(-3, 'minus')).toBe(true);
      expect(await cache.get('-3')).toBe('minus');
      expect(await cache.has(5)).toBe(true);
      expect(await cache.touch(5, 60)).toBe(true);
      expect(await cache.add(5, 'other')).toBe(false);
      expect(await cache.setMany(new Map([[1, 'one'], [2, 'two']]))).toEqual([]);
      // getMany's Map is keyed by the keys as given.
      const found = await cache.getMany([1, 2, '2', 9]);
      expect([...found.entries()]).toEqual([
        [1, 'one'],
        [2, 'two'],
        ['2', 'two'],
      ]);
      expect(await cache.deleteMany([1, '2'])).toBe(true);
      expect(await cache.getMany([1, 2])).toEqual(new Map());
      await cache.set(7, 10);
      expect(await cache.incr(7)).toBe(11);
      expect(await cache.decr('7', 2)).toBe(9);
      await expect(cache.incr(8)).rejects.toMatchObject({ code: 'E_CACHE_KEY_MISSING', key: 8 });
      expect(await cache.getOrSet(11, () => 'eleven')).toBe('eleven');
      expect(await cache.get('11')).toBe('eleven');
      expect(await cache.incrVersion(11)).toBe(2);
      expect(await cache.get(11, undefined, { version: 2 })).toBe('eleven');
      expect(await cache.delete(5)).toBe(true);
      expect(await cache.get('5')).toBeUndefined();
    });

    it('getOrSetMany with integer keys hands compute the missing integers and takes a Map keyed by them, or a plain object', async () => {
      const { cache } = await setup();
      await cache.set(1, { id: 1 });
      const asked: number[][] = [];
      const values = await cache.getOrSetMany([1, 2, 3, 2], (missing) => {
        asked.push(missing);
        return new Map(missing.map((id) => [id, { id }]));
      });
      expect(values).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 2 }]);
      expect(asked).toEqual([[2, 3]]);
      expect(await cache.get('3')).toEqual({ id: 3 });
      // A plain object's property names are the keys' strings.
      expect(await cache.getOrSetMany([4, 5], () => ({ 4: 'four' }))).toEqual(['four', undefined]);
      expect(await cache.get(4)).toBe('four');
      // A Map keyed by strings does not answer integer keys: those stay misses, not stored.
      expect(await cache.getOrSetMany([6], () => new Map([['6', 'six']]) as unknown as Map<number, string>)).toEqual([undefined]);
      expect(await cache.has(6)).toBe(false);
    });

    it('namespace(): the same store under a longer KEY_PREFIX, with its own clear()', async () => {
      const { cache, h } = await setup({ version: 3 });
      const worlds = cache.namespace('world');
      expect(cache.namespace('world')).toBe(worlds);
      expect(worlds.makeKey(5)).toBe(`${cache.keyPrefix}:world:3:5`);
      expect(worlds.version).toBe(3);
      expect(worlds.keyPrefix).toBe(`${cache.keyPrefix}:world`);
      expect(worlds.namespace('row').makeKey(5)).toBe(`${cache.keyPrefix}:world:row:3:5`);
      await worlds.set(5, 'in world');
      await cache.set(5, 'in cache');
      await cache.set('world:5', 'a string key');
      await cache.namespace('other').set(5, 'in other');
      expect(await worlds.get(5)).toBe('in world');
      expect(await cache.get(5)).toBe('in cache');
      expect(await cache.get('world:5')).toBe('a string key');
      expect(await cache.namespace('other').get(5)).toBe('in other');
      expect(await worlds.getOrSetMany([5, 6], (missing) => new Map(missing.map((id) => [id, `computed ${id}`])))).toEqual(['in world', 'computed 6']);

      expect(await worlds.clear()).toBe(true);
      expect(await worlds.get(5)).toBeUndefined();
      expect(await cache.get(5)).toBe(h.clearIsGlobal ? undefined : 'in cache');
      expect(await cache.namespace('other').get(5)).toBe(h.clearIsGlobal ? undefined : 'in other');
      // The namespace's close() leaves the shared store open.
      await worlds.close();
      expect(await cache.set('after', 1)).toBe(true);
      expect(await worlds.get('after')).toBeUndefined();
      expect(await cache.get('after')).toBe(1);
      // The parent's clear() takes its namespaces' entries with it.
      await worlds.set(1, 'again');
      await cache.clear();
      expect(await worlds.get(1)).toBeUndefined();
    });

    it('refuses namespace names that could meet other keys', async () => {
      const { cache } = await setup();
      for (const bad of ['', 'a:b', '12', '-3', 'has space', 'tab\t', 5 as unknown as string]) {
        expect(() => cache.namespace(bad)).toThrow(expect.objectContaining({ code: 'E_CACHE_KEY_INVALID' }));
      }
      expect(() => cache.namespace('a:b')).toThrow(/without ':' or spaces that is not an integer \(e\.g\. 'world'\); got "a:b"/);
      expect(cache.namespace('v2').makeKey('k')).toBe(`${cache.keyPrefix}:v2:1:k`);
    });
  });
}
