import { afterAll, beforeAll } from 'vitest';
import { MemcachedStore, MemoryStore, RedisStore } from '../../src/cache/index.js';
import { cacheConformance } from './cache-conformance.js';
import { TestServer } from './servers.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

cacheConformance('locmem', () => {
  let now = 1_000_000;
  const store = new MemoryStore({ now: () => now });
  return {
    store,
    shortTimeout: 1,
    advance: async (ms) => {
      now += ms;
    },
  };
});

// The shared Redis: every test uses its own KEY_PREFIX, and clear() removes only that prefix.
cacheConformance('redis', () => {
  const store = new RedisStore({ url: 'redis://127.0.0.1:6379/0' });
  return { store, shortTimeout: 0.05, advance: sleep, close: () => store.close() };
});

// memcached's clear() flushes the server, so this suite runs against a private one.
let memcached: TestServer;
beforeAll(async () => {
  memcached = await TestServer.start('memcached');
});
afterAll(async () => {
  await memcached.stop();
});
cacheConformance('memcached', () => {
  const store = new MemcachedStore({ servers: `127.0.0.1:${memcached.port}` });
  // Expiry has one-second resolution on memcached's own clock: wait a second more.
  return { store, shortTimeout: 1, advance: (ms) => sleep(ms + 1000), clearIsGlobal: true, unsignedCounters: true, close: () => store.close() };
});
