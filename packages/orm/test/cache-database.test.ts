import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Cache, CacheHandler } from '@atrium/core/cache';
import { DatabaseCacheStore, createCacheTable, databaseCacheBackend } from '../src/index.js';
import { createcachetableCommand } from '../src/commands/createcachetable.js';
import { cacheConformance } from '../../core/test/cache/cache-conformance.js';
import { forEachDatabase } from './support/databases.js';

forEachDatabase('database cache', (ctx) => {
  let now = 1_700_000_000_000;
  cacheConformance(`database`, async () => {
    await createCacheTable('test_cache', ctx.alias);
    return {
      store: new DatabaseCacheStore({ table: 'test_cache', database: ctx.alias, now: () => now }),
      shortTimeout: 1,
      advance: async (ms) => {
        now += ms;
      },
    };
  });

  it('culls the table past MAX_ENTRIES', async () => {
    await createCacheTable('small_cache', ctx.alias);
    const store = new DatabaseCacheStore({ table: 'small_cache', database: ctx.alias, maxEntries: 9 });
    const cache = new Cache(store);
    for (let i = 0; i < 30; i++) await cache.set(`k${String(i).padStart(2, '0')}`, i);
    const kept = await cache.getMany(Array.from({ length: 30 }, (_, i) => `k${String(i).padStart(2, '0')}`));
    expect(kept.size).toBeLessThanOrEqual(9);
    expect(kept.get('k29')).toBe(29);
  });

  it('a missing table is an outage: misses and a warning naming createcachetable', async () => {
    const lines: string[] = [];
    const cache = new Cache(new DatabaseCacheStore({ table: 'no_such_cache', database: ctx.alias }), { log: (line) => lines.push(line) });
    expect(await cache.get('k', 'd')).toBe('d');
    expect(await cache.set('k', 1)).toBe(false);
    expect(lines[0]).toMatch(/cache table 'no_such_cache'.*manage createcachetable/);
  });

  it("is BACKEND 'database' once the orm app registers it, and createcachetable makes its table", async () => {
    const handler = new CacheHandler({ default: { BACKEND: 'database', LOCATION: 'cmd_cache', OPTIONS: { DATABASE: ctx.alias } } }, { backends: { database: databaseCacheBackend } });
    const settings = { CACHES: { default: { BACKEND: 'database', LOCATION: 'cmd_cache', OPTIONS: { DATABASE: ctx.alias } }, mem: { BACKEND: 'locmem', LOCATION: '', OPTIONS: {} } } };
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const project = { context: { settings } } as unknown as NonNullable<Parameters<typeof createcachetableCommand.run>[0]['project']>;
    await createcachetableCommand.run({ project, cwd: process.cwd(), stdout, stderr: new PassThrough() }, [], {});
    await createcachetableCommand.run({ project, cwd: process.cwd(), stdout, stderr: new PassThrough() }, [], {});
    expect(out).toContain(`Cache table 'cmd_cache' is ready on database '${ctx.alias}'.`);
    expect(await handler.default.set('k', { v: 1 })).toBe(true);
    expect(await handler.default.get('k')).toEqual({ v: 1 });
  });
});

describe('database cache: the database is down', () => {
  it('misses with a warning while PostgreSQL cannot be reached', async () => {
    const { configureDatabases, closeDatabases } = await import('../src/index.js');
    configureDatabases({ cachedown: { ENGINE: 'postgres', NAME: 'test', HOST: '127.0.0.1', PORT: 9, USER: 'postgres', OPTIONS: { connectionTimeoutMillis: 500 } } }, process.cwd());
    try {
      const lines: string[] = [];
      const cache = new Cache(new DatabaseCacheStore({ table: 'atrium_cache', database: 'cachedown' }), { log: (line) => lines.push(line) });
      expect(await cache.get('k')).toBeUndefined();
      expect(await cache.getOrSet('k', () => 'computed')).toBe('computed');
      expect(lines).toHaveLength(1);
    } finally {
      await closeDatabases(['cachedown']);
    }
  });
});
