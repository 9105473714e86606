import { describe, expect, it } from 'vitest';
import { createApplication } from '../../src/index.js';
import { copierFor, copyPlainJson, copyShallowJson, isShallowJson } from '../../src/cache/plain-json-copy.js';
import { Cache, CacheHandler, DummyStore, MemoryStore, caches, CacheKeyMissing, deserializeCacheValue, serializeCacheValue } from '../../src/cache/index.js';

const SECRET_KEY = 'x'.repeat(40);

describe('locmem store bounds', () => {
  it('evicts the least recently used entry past MAX_ENTRIES', async () => {
    const store = new MemoryStore({ maxEntries: 3 });
    const cache = new Cache(store);
    for (const key of ['a', 'b', 'c']) await cache.set(key, key);
    expect(await cache.get('a')).toBe('a'); // a is now the most recently used
    await cache.set('d', 'd');
    expect(await cache.has('b')).toBe(false);
    expect([...(await cache.getMany(['a', 'c', 'd'])).keys()]).toEqual(['a', 'c', 'd']);
    expect(store.size).toBe(3);
  });

  it('stays under MAX_BYTES and skips an entry larger than the whole budget', async () => {
    const store = new MemoryStore({ maxBytes: 1000 });
    const cache = new Cache(store);
    for (let i = 0; i < 50; i++) await cache.set(`k${i}`, 'x'.repeat(40));
    expect(store.bytes).toBeLessThanOrEqual(1000);
    expect(await cache.get('k49')).toBe('x'.repeat(40));
    expect(await cache.get('k0')).toBeUndefined();
    expect(await cache.set('huge', 'y'.repeat(2000))).toBe(true);
    expect(await cache.get('huge')).toBeUndefined();
    expect(await cache.get('k49')).toBe('x'.repeat(40));
  });

  it('returns copies: mutating a value got back does not change the cache', async () => {
    const cache = new Cache(new MemoryStore());
    await cache.set('list', [1, 2]);
    const got = (await cache.get<number[]>('list'))!;
    got.push(3);
    expect(await cache.get('list')).toEqual([1, 2]);
  });
});

describe('locmem keeps plain JSON decoded', () => {
  it('hands every reader its own copy, from get, getMany and getOrSet', async () => {
    const cache = new Cache(new MemoryStore());
    const post = { id: 1, tags: ['a'], author: { name: 'Ada' } };
    await cache.set('post', post);
    post.tags.push('changed after set');
    const first = (await cache.get<typeof post>('post'))!;
    first.tags.push('b');
    first.author.name = 'Grace';
    const second = (await cache.getMany<typeof post>(['post'])).get('post')!;
    expect(second).toEqual({ id: 1, tags: ['a'], author: { name: 'Ada' } });
    expect(second).not.toBe(first);
    second.id = 2;
    expect(await cache.getOrSet('post', () => ({ id: 3, tags: [], author: { name: '' } }))).toEqual({ id: 1, tags: ['a'], author: { name: 'Ada' } });
  });

  it('getOrSetMany hands each place its own copy of a hit, and a timeout of 0 computes without storing', async () => {
    const cache = new Cache(new MemoryStore());
    await cache.set('row', { id: 1, tags: ['a'] });
    const [first, second] = (await cache.getOrSetMany<{ id: number; tags: string[] }>(['row', 'row'], () => new Map()))!;
    expect(first).not.toBe(second);
    first!.tags.push('changed');
    expect(await cache.get('row')).toEqual({ id: 1, tags: ['a'] });
    expect(await cache.getOrSetMany(['fresh'], () => ({ fresh: 1 }), 0)).toEqual([1]);
    expect(await cache.has('fresh')).toBe(false);
  });

  it('copies flat rows and lists with one shallow copy per read, still a private one', async () => {
    const cache = new Cache(new MemoryStore());
    await cache.set('row', { id: 1, name: 'a', ok: true, none: null });
    await cache.set('ids', [1, 'two', null]);
    await cache.set('odd', JSON.parse('{"__proto__": 1, "n": 2}'));
    const [row, again] = (await cache.getOrSetMany<Record<string, unknown>>(['row', 'row'], () => new Map()))!;
    expect(row).not.toBe(again);
    row!.name = 'changed';
    delete row!.id;
    expect(await cache.get('row')).toEqual({ id: 1, name: 'a', ok: true, none: null });
    const ids = (await cache.get<unknown[]>('ids'))!;
    ids.length = 0;
    expect(await cache.get('ids')).toEqual([1, 'two', null]);
    const odd = (await cache.get<Record<string, unknown>>('odd'))!;
    expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
    expect(Object.keys(odd)).toEqual(['__proto__', 'n']);
    expect(Object.getOwnPropertyDescriptor(odd, '__proto__')?.value).toBe(1);
  });

  it('copies a flat row through a copier generated per shape, as a spread would', () => {
    const row = JSON.parse('{"2": "two", "id": 1, "name": "a", "x y": null, "\\"q": true}') as Record<string, unknown>;
    const copy = copierFor(row);
    expect(copierFor({ ...row })).toBe(copy); // one copier per shape
    const out = copy(row) as Record<string, unknown>;
    expect(out).not.toBe(row);
    expect(out).toEqual(row);
    expect(Object.keys(out)).toEqual(Object.keys({ ...row }));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    // Keys in another order, nested values, arrays, __proto__ and null prototypes get the general copies.
    expect(copierFor({ name: 'a', id: 1, '2': 'two', 'x y': null, '"q': true })).not.toBe(copy);
    expect(copierFor({ tags: ['a'] })).toBe(copyPlainJson);
    expect(copierFor([1, 2])).toBe(copyShallowJson);
    expect(copierFor(5)).toBe(copyShallowJson);
    expect(copierFor(JSON.parse('{"__proto__": 1, "n": 2}'))).toBe(copyShallowJson);
    expect(copierFor(Object.assign(Object.create(null), { n: 1 }))).toBe(copyShallowJson);
    expect(copierFor(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i])))).toBe(copyShallowJson);
  });

  it('tells which decoded values a shallow copy makes private', () => {
    for (const value of [1, 'a', null, true, { id: 1, s: 'x', n: null }, [1, 'a', null], {}, []]) expect(isShallowJson(value)).toBe(true);
    for (const value of [{ tags: [] }, { author: { name: 'Ada' } }, [[1]], [{ id: 1 }]]) expect(isShallowJson(value)).toBe(false);
    const row = { id: 1 };
    const copy = copyShallowJson(row);
    expect(copy).toEqual(row);
    expect(copy).not.toBe(row);
    expect(copyShallowJson(7)).toBe(7);
  });

  it('copies a __proto__ key as data, and values with dates or bytes stay decoded per read', async () => {
    const cache = new Cache(new MemoryStore());
    await cache.set('odd', JSON.parse('{"__proto__": {"polluted": true}, "n": 1}'));
    for (let i = 0; i < 2; i++) {
      const odd = (await cache.get<Record<string, unknown>>('odd'))!;
      expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
      expect(Object.keys(odd)).toEqual(['__proto__', 'n']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
    await cache.set('when', { at: new Date(0) });
    const when = (await cache.get<{ at: Date }>('when'))!;
    when.at.setFullYear(2000);
    expect((await cache.get<{ at: Date }>('when'))!.at.getTime()).toBe(0);
  });

  it('copies nested arrays and objects at every depth, and only own keys even when Object.prototype is polluted', async () => {
    const cache = new Cache(new MemoryStore());
    const stored = { rows: [{ id: 1, tags: ['a', ['deep']] }, null, 3], meta: { next: null, flags: [true] } };
    await cache.set('page', stored);
    const first = (await cache.get<typeof stored>('page'))!;
    (first.rows[0] as { tags: unknown[] }).tags.push('b');
    ((first.rows[0] as { tags: unknown[][] }).tags[1]!).push('deeper');
    first.meta.flags.push(false);
    first.rows.push(4);
    expect(await cache.get('page')).toEqual(stored);
    const proto = Object.prototype as Record<string, unknown>;
    Object.defineProperty(proto, 'injected', { value: { x: 1 }, enumerable: true, configurable: true, writable: true });
    try {
      const copy = (await cache.get<Record<string, unknown>>('page'))!;
      expect(Object.keys(copy)).toEqual(['rows', 'meta']);
      expect(Object.hasOwn(copy, 'injected')).toBe(false);
    } finally {
      delete proto['injected'];
    }
  });

  it('still answers the string API with the text, and incr works after a decoded read', async () => {
    const store = new MemoryStore();
    const cache = new Cache(store);
    await cache.set('list', [1, 'two', { three: 3 }]);
    await cache.set('count', 41);
    expect(await cache.get('list')).toEqual([1, 'two', { three: 3 }]);
    expect(await cache.get('count')).toBe(41);
    expect(await store.get(':1:list')).toBe('[1,"two",{"three":3}]');
    expect(await cache.incr('count')).toBe(42);
    expect(await cache.get('count')).toBe(42);
  });

  it('treats text it did not write as a miss, with a warning', async () => {
    const lines: string[] = [];
    const store = new MemoryStore();
    const cache = new Cache(store, { log: (line) => lines.push(line) });
    await store.set(':1:foreign', 'not json', null);
    expect(await cache.get('foreign', 'fallback')).toBe('fallback');
    expect(await cache.getMany(['foreign'])).toEqual(new Map());
    expect(lines[0]).toMatch(/":1:foreign" is not a value this cache wrote/);
  });

  it('getMany reads the store in one batch that still expires entries by the store clock', async () => {
    let now = 1_000;
    const store = new MemoryStore({ now: () => now });
    const cache = new Cache(store);
    await cache.set('short', { n: 1 }, 10);
    await cache.set('long', { n: 2 }, 100);
    expect(await cache.getMany(new Set(['short', 'long', 'absent']))).toEqual(new Map([['short', { n: 1 }], ['long', { n: 2 }]]));
    now += 10_000;
    expect(await cache.getMany(['short', 'long'])).toEqual(new Map([['long', { n: 2 }]]));
    expect(store.size).toBe(1);
  });

  it('evicts an unread entry before one read since it was written (second chance)', async () => {
    const store = new MemoryStore({ maxEntries: 4 });
    const cache = new Cache(store);
    for (const key of ['a', 'b', 'c', 'd']) await cache.set(key, key);
    await cache.getMany(['a', 'b']);
    await cache.set('e', 'e');
    await cache.set('f', 'f');
    expect([...(await cache.getMany(['a', 'b', 'c', 'd', 'e', 'f'])).keys()]).toEqual(['a', 'b', 'e', 'f']);
  });
});

describe('locmem reads through remembered entries', () => {
  it('sees every change made after a key was read: overwrite, delete, clear, eviction, expiry, another cache', async () => {
    let now = 1_000;
    const store = new MemoryStore({ maxEntries: 2, now: () => now });
    const cache = new Cache(store);
    const other = new Cache(store); // as two caches with the same LOCATION
    await cache.set('k', { n: 1 });
    expect(await cache.get('k')).toEqual({ n: 1 });
    await other.set('k', { n: 2 });
    expect(await cache.getMany(['k'])).toEqual(new Map([['k', { n: 2 }]]));
    await other.delete('k');
    expect(await cache.get('k')).toBeUndefined();
    await other.set('k', { n: 3 });
    expect(await cache.get('k')).toEqual({ n: 3 });
    await cache.clear();
    expect(await cache.getMany(['k'])).toEqual(new Map());
    await cache.set('k', { n: 4 }, 10);
    expect(await cache.get('k')).toEqual({ n: 4 });
    now += 10_000;
    expect(await cache.getMany(['k'])).toEqual(new Map());
    expect(store.size).toBe(0);
    await cache.set('k', { n: 5 });
    expect(await cache.get('k')).toEqual({ n: 5 });
    for (const key of ['x', 'y', 'z']) await other.set(key, key); // 'k' was read: it outlives 'x' and 'y', not a second turn
    expect(await store.has(':1:k')).toBe(true);
    await other.set('w', 'w');
    expect(await cache.get('k')).toBeUndefined();
    expect(await other.getOrSet('k', () => ({ n: 6 }))).toEqual({ n: 6 });
    expect(await cache.getOrSet('k', () => ({ n: 7 }))).toEqual({ n: 6 });
  });

  it('expires to the millisecond, also for a remembered entry, across whole seconds and after touch()', async () => {
    let now = 1_700_000_000_250;
    const store = new MemoryStore({ now: () => now });
    const cache = new Cache(store);
    await cache.set('a', { n: 1 }, 1.5); // expires at +1500 ms
    await cache.set('forever', 1, null);
    await cache.set('far', 2, 60 * 60 * 24 * 365 * 100); // past the seconds the store counts exactly
    for (const [at, live] of [[0, true], [999, true], [1000, true], [1499, true], [1500, false]] as const) {
      now = 1_700_000_000_250 + at;
      expect(await cache.getOrSetMany(['a'], () => new Map())).toEqual([live ? { n: 1 } : undefined]);
    }
    await cache.set('b', 'b', 2); // at +1500: expires at +3500
    now += 1999;
    expect(await cache.get('b')).toBe('b');
    expect(await cache.touch('b', 0.5)).toBe(true); // now expires at +4000
    now += 500;
    expect(await cache.get('b')).toBeUndefined();
    now += 1_000 * 60 * 60 * 24 * 365 * 50;
    expect(await cache.getMany(['forever', 'far'])).toEqual(new Map<string, number>([['forever', 1], ['far', 2]]));
    now += 1_000 * 60 * 60 * 24 * 365 * 51;
    expect(await cache.getMany(['forever', 'far'])).toEqual(new Map([['forever', 1]]));
  });

  it('lets go of a removed value even while a Cache still remembers its entry', async () => {
    const store = new MemoryStore();
    await store.set('big', JSON.stringify({ blob: 'x'.repeat(1000) }), null);
    const seen = store.peek('big', undefined, store.peekClock())!;
    expect(seen.value).toEqual({ blob: 'x'.repeat(1000) });
    expect(store.peek('big', seen, store.peekClock())).toBe(seen);
    await store.delete('big');
    expect(seen.value).toBeNull();
    expect(seen.text).toBeUndefined();
    expect(store.peek('big', seen, store.peekClock())).toBeUndefined();
    // A new entry under the key is found, not the retired one.
    await store.set('big', '1', null);
    expect(store.peek('big', seen, store.peekClock())!.value).toBe(1);
  });
});

describe('locmem getOrSetMany reads keys in batches', () => {
  it('returns every value in place across batches, with misses, repeats, unremembered keys and another VERSION', async () => {
    const cache = new Cache(new MemoryStore());
    // 80 keys: three batches of the read; only the even ones stored, so hits and misses alternate.
    const keys = Array.from({ length: 80 }, (_, i) => `row:${i}`);
    await cache.setMany(new Map(keys.filter((_, i) => i % 2 === 0).map((key) => [key, { key }])));
    const asked: string[][] = [];
    const read = [...keys, 'row:0', 'row:79'];
    const values = await cache.getOrSetMany<{ key: string }>(read, (missing) => {
      asked.push(missing);
      return new Map(missing.map((key) => [key, { key }]));
    });
    expect(values).toEqual(read.map((key) => ({ key })));
    expect(asked).toEqual([keys.filter((_, i) => i % 2 === 1)]);
    // Every key is stored now; each place still gets its own copy.
    const again = await cache.getOrSetMany<{ key: string }>(read, () => new Map());
    expect(again).toEqual(values);
    expect(again[0]).not.toBe(again[80]);
    // A key read for the first time by this Cache (stored through another one) is found too.
    const other = new Cache(cache.store);
    expect(await other.getOrSetMany(['row:1', 'row:2'], () => new Map())).toEqual([{ key: 'row:1' }, { key: 'row:2' }]);
    await cache.set('row:1', 'v2', null, { version: 2 });
    expect(await cache.getOrSetMany(['row:1', 'row:3'], () => new Map(), null, { version: 2 })).toEqual(['v2', undefined]);
  });

  it('stays right when reading a new key grows or clears the remembered keys in the middle of a batch', async () => {
    const cache = new Cache(new MemoryStore());
    // Ten remembered keys fill the first 16-slot table to its growth point.
    const old = Array.from({ length: 10 }, (_, i) => `old:${i}`);
    await cache.setMany(new Map(old.map((key) => [key, key])));
    // Stored through another Cache: this one has not remembered them, so each read makes and remembers its key.
    const other = new Cache(cache.store);
    const fresh = Array.from({ length: 10 }, (_, i) => `fresh:${i}`);
    await other.setMany(new Map(fresh.map((key) => [key, key])));
    const mixed = old.flatMap((key, i) => [key, fresh[i]!]);
    expect(await cache.getOrSetMany(mixed, () => new Map())).toEqual(mixed);
    expect(await cache.getOrSetMany(mixed, () => new Map())).toEqual(mixed);

    // At 10,000 remembered keys the next new one starts the memory over (clear()).
    const many = new Cache(new MemoryStore({ maxEntries: 20_000 }));
    const filler = Array.from({ length: 9_999 }, (_, i) => `f:${i}`);
    await many.setMany(new Map(filler.map((key) => [key, 1])));
    const outsider = new Cache(many.store);
    await outsider.setMany(new Map([['late:a', 'a'], ['late:b', 'b']]));
    const batch = ['f:1', 'late:a', 'f:2', 'late:b', 'f:3'];
    expect(await many.getOrSetMany(batch, () => new Map())).toEqual([1, 'a', 1, 'b', 1]);
    expect(await many.getOrSetMany(batch, () => new Map())).toEqual([1, 'a', 1, 'b', 1]);
  });

  it('reads key by key when a KEY_FUNCTION reads the same cache in the middle of a batch', async () => {
    let inner: Promise<unknown[]> | undefined;
    const cache: Cache = new Cache(new MemoryStore(), {
      keyFunction: (key, prefix, version) => {
        // Started synchronously: its in-process read runs while the outer batch is still going.
        if (key === 'outer:2' && inner === undefined) inner = cache.getOrSetMany(['inner:1', 'inner:2'], () => new Map());
        return `${prefix}:${version}:${key}`;
      },
    });
    await cache.setMany(new Map([['inner:1', 'i1'], ['inner:2', 'i2'], ['outer:1', 'o1']]));
    const other = new Cache(cache.store);
    await other.set('outer:2', 'o2');
    expect(await cache.getOrSetMany(['outer:1', 'outer:2', 'inner:1'], () => new Map())).toEqual(['o1', 'o2', 'i1']);
    expect(await inner).toEqual(['i1', 'i2']);
  });
});

describe('locmem with integer keys and namespaces', () => {
  it('reads integer keys in batches like string keys, and 5 and "5" as one entry through either', async () => {
    const cache = new Cache(new MemoryStore()).namespace('row');
    const ids = Array.from({ length: 70 }, (_, i) => i + 1);
    await cache.setMany(new Map(ids.filter((id) => id % 3 === 0).map((id) => [id, { id }])));
    const asked: number[][] = [];
    const read = [...ids, 3, 70];
    const values = await cache.getOrSetMany(read, (missing) => {
      asked.push(missing);
      return new Map(missing.map((id) => [id, { id }]));
    });
    expect(values).toEqual(read.map((id) => ({ id })));
    expect(asked).toEqual([ids.filter((id) => id % 3 !== 0)]);
    const again = await cache.getOrSetMany(read, () => new Map());
    expect(again).toEqual(values);
    expect(again[2]).not.toBe(again[70]);
    // Remembered under both forms, and each sees a change made through the other.
    expect(await cache.getOrSetMany([5, '5'], () => new Map())).toEqual([{ id: 5 }, { id: 5 }]);
    await cache.set('5', 'changed');
    expect(await cache.getOrSetMany([5], () => new Map())).toEqual(['changed']);
    await cache.delete(5);
    expect(await cache.getOrSetMany(['5', 5], () => new Map())).toEqual([undefined, undefined]);
  });

  it('keeps at most a thousand namespaces made, and a namespace made again still reads the same entries', async () => {
    const cache = new Cache(new MemoryStore());
    const first = cache.namespace('n0');
    await first.set(1, 'kept');
    for (let i = 1; i < 1000; i++) cache.namespace(`n${i}`);
    expect(cache.namespace('n0')).toBe(first);
    // The thousand-and-first starts the kept set over.
    cache.namespace('n1000');
    const remade = cache.namespace('n0');
    expect(remade).not.toBe(first);
    expect(await remade.get(1)).toBe('kept');
  });
});

describe('value encoding', () => {
  it('encodes plain data as JSON.stringify does, and still tags what JSON cannot hold, however deep', () => {
    const rows = [{ id: 1, randomNumber: 42, tags: ['a', null], ok: true, nested: { deeper: [1.5, -0] } }];
    expect(serializeCacheValue(rows)).toBe(JSON.stringify(rows));
    expect(serializeCacheValue(Object.assign(Object.create(null), { n: 1 }))).toBe('{"n":1}');
    expect(serializeCacheValue({ n: Number.NaN, skipped: undefined })).toBe('{"n":null}');
    const special = { list: [{ when: new Date(0) }], big: { n: 1n }, tagLike: [{ $atrium: 'date', v: 'x' }] };
    expect(deserializeCacheValue(serializeCacheValue(special))).toEqual(special);
    const withToJSON = { toJSON: () => 'custom' };
    expect(serializeCacheValue(withToJSON)).toBe('"custom"');
    expect(() => serializeCacheValue({ rows: [{ handler: () => 1 }] })).toThrow(/Cannot cache a function \(at key 'handler'\)/);
    const cycle: Record<string, unknown> = { a: 1 };
    cycle['self'] = cycle;
    expect(() => serializeCacheValue(cycle)).toThrow(TypeError);
    let deep: unknown = { when: new Date(0) };
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(deserializeCacheValue(serializeCacheValue(deep))).toEqual(deep);
  });
});

describe('dummy backend', () => {
  it('stores nothing', async () => {
    const cache = new Cache(new DummyStore());
    expect(await cache.set('k', 1)).toBe(true);
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.getOrSet('k', () => 2)).toBe(2);
    await expect(cache.incr('k')).rejects.toBeInstanceOf(CacheKeyMissing);
  });
});

describe('key validation', () => {
  it('warns about keys memcached cannot store, and refuses them when strict', async () => {
    const lines: string[] = [];
    const cache = new Cache(new MemoryStore(), { log: (line) => lines.push(line) });
    await cache.set('has space', 1);
    expect(await cache.get('has space')).toBe(1);
    expect(lines[0]).toMatch(/contains a space or control character \(code 32\)/);
    await cache.set('k'.repeat(300), 1);
    expect(lines).toHaveLength(1); // rate-limited

    const strict = new Cache(new MemoryStore(), { strictKeys: true });
    await expect(strict.set('bad\nkey', 1)).rejects.toMatchObject({ code: 'E_CACHE_KEY_INVALID' });
    await expect(strict.get('k'.repeat(300))).rejects.toThrow(/over memcached's 250/);
    expect(await strict.set(`ok-${'k'.repeat(200)}`, 1)).toBe(true);
  });

  it('makeKey joins prefix, version and key', () => {
    const cache = new Cache(new MemoryStore(), { keyPrefix: 'site', version: 3 });
    expect(cache.makeKey('sidebar')).toBe('site:3:sidebar');
    expect(cache.makeKey('sidebar', 4)).toBe('site:4:sidebar');
    const custom = new Cache(new MemoryStore(), { keyFunction: (key, prefix, version) => `${prefix}/${key}@${version}`, keyPrefix: 'p' });
    expect(custom.makeKey('k')).toBe('p/k@1');
  });
});

describe('CACHES and caches(app)', () => {
  it('builds each alias once from settings, with TIMEOUT, KEY_PREFIX and VERSION', async () => {
    const app = await createApplication({
      settings: {
        SECRET_KEY,
        CACHES: {
          default: { BACKEND: 'locmem' },
          pages: { BACKEND: 'locmem', LOCATION: 'pages-test', TIMEOUT: 60, KEY_PREFIX: 'pg', VERSION: 2, OPTIONS: { MAX_ENTRIES: 5 } },
          off: { BACKEND: 'dummy' },
        },
      },
      routes: [],
      apps: [],
      templates: null,
    });
    const handler = caches(app.context);
    expect(handler).toBe(caches(app.context));
    expect(handler.default).toBe(handler.get('default'));
    const pages = handler.get('pages');
    expect(pages.defaultTimeout).toBe(60);
    expect(pages.makeKey('x')).toBe('pg:2:x');
    expect((pages.store as MemoryStore).maxEntries).toBe(5);
    expect(handler.default.defaultTimeout).toBe(300);
    expect(handler.get('off').store.name).toBe('dummy');
    expect(() => handler.get('nope')).toThrow(/No cache 'nope' in CACHES; configured: default, pages, off/);
    await app.close();
  });

  it('shares a locmem store between caches with the same LOCATION, never an unnamed one', async () => {
    const a = new CacheHandler({ one: { BACKEND: 'locmem', LOCATION: 'shared-loc' }, two: { BACKEND: 'locmem', LOCATION: 'shared-loc' }, mine: { BACKEND: 'locmem' }, yours: { BACKEND: 'locmem' } });
    expect(a.get('one').store).toBe(a.get('two').store);
    expect(a.get('mine').store).not.toBe(a.get('yours').store);
  });

  it('stops start-up on an unknown backend or a bad option, naming it', () => {
    expect(() => new CacheHandler({ default: { BACKEND: 'databse' } })).toThrow(
      /CACHES\['default'\]\.BACKEND is 'databse', which is not a known cache backend; known: locmem, dummy, redis, memcached/,
    );
    const handler = new CacheHandler({ default: { BACKEND: 'locmem', OPTIONS: { MAX_ENTRIES: -1 } } });
    expect(() => handler.default).toThrow(/CACHES\['default'\]\.OPTIONS\.MAX_ENTRIES must be a positive integer; got -1/);
  });

  it('validates CACHES in settings', async () => {
    await expect(
      createApplication({ settings: { SECRET_KEY, CACHES: { default: { BACKEND: 'locmem', TIMEOUT: -5 } } }, routes: [], apps: [], templates: null }),
    ).rejects.toThrow(/CACHES/);
  });

  it('uses backends that installed apps register', async () => {
    const { defineApp } = await import('../../src/index.js');
    const registered = defineApp({ label: 'fakecache', path: import.meta.dirname, extensions: { cacheBackends: { fake: () => new DummyStore() } } });
    const app = await createApplication({ settings: { SECRET_KEY, CACHES: { default: { BACKEND: 'fake' } } }, routes: [], apps: [registered], templates: null });
    expect(caches(app.context).default.store.name).toBe('dummy');
    await app.close();
  });
});
