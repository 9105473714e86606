// The gain and the cost of the cache: the same page (a 20-row query and a
// template render) with cachePage(60) vs without, on one cache backend per
// case. `cache-<backend>` requests one URL, so the cached side hits; the
// `cache-miss-<backend>` cases give every request its own URL (a wrk script
// adds ?miss=<n>), so the cached side misses every time: it looks the page up,
// renders it and stores it. The figure is the median of pairwise req/s
// ratios, cached over uncached.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureHttpCase } from '../lib/http-compare.mjs';
import { fetchOnce, startServer } from '../lib/spawn-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const app = join(here, '..', 'apps', 'atrium-cache.mjs');
const uniqueQuery = join(here, '..', 'lib', 'unique-query.lua');
const BACKENDS = ['locmem', 'redis'];
/**
 * A hit skips the query and the render; below 2x it is not worth having.
 * A miss adds two lookups and two stores to the query and the render: in
 * process (locmem) that must stay under a tenth of the page's cost; on Redis
 * those are four loopback round trips, allowed a fifth.
 */
const TARGETS = { hit: { locmem: 2.0, redis: 2.0 }, miss: { locmem: 0.9, redis: 0.8 } };
const PATH = '/posts';

export default {
  name: 'cache',
  description: 'cachePage on a query + template page vs the same page uncached (req/s), locmem and redis, all hits and all misses',
  cases: [...BACKENDS.map((backend) => `cache-${backend}`), ...BACKENDS.map((backend) => `cache-miss-${backend}`)],
  async run({ cases, config, loadGenerator, log }) {
    const results = [];
    for (const name of cases) {
      const miss = name.startsWith('cache-miss-');
      const backend = name.slice(miss ? 'cache-miss-'.length : 'cache-'.length);
      const cached = await startServer({ name: `cached-${backend}`, script: app, env: { CACHED: '1', CACHE_BACKEND: backend }, readyPath: PATH });
      let uncached;
      try {
        uncached = await startServer({ name: 'uncached', script: app, env: { CACHED: '0', CACHE_BACKEND: backend }, readyPath: PATH });
        const probe = miss ? `${PATH}?miss=probe` : PATH;
        const [a, b] = await Promise.all([fetchOnce(`${cached.url}${probe}`), fetchOnce(`${uncached.url}${probe}`)]);
        if (a.status !== 200 || b.status !== 200 || a.body !== b.body) {
          throw new Error(`Case '${name}': the cached and uncached pages differ (status ${a.status} vs ${b.status}); refusing to compare them.`);
        }
        log(`cached (${backend}) at ${cached.url}, uncached at ${uncached.url}; load: ${loadGenerator}${miss ? ', every request its own URL (all misses)' : ''}`);
        const target = TARGETS[miss ? 'miss' : 'hit'][backend];
        const loadScript = miss ? uniqueQuery : null;
        results.push(await measureHttpCase({ name, path: PATH, subject: cached, baseline: uncached, config, tool: loadGenerator, log, target, loadScript }));
      } finally {
        await Promise.all([cached.stop(), uncached?.stop()]);
      }
    }
    return results;
  },
};
