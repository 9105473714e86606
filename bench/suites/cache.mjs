// The cost and gain of the cache: the same page (a 20-row query and a
// template render) with cachePage(60) vs without, on one cache backend per
// case; the figure is the median of pairwise req/s ratios, cached over uncached.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureHttpCase } from '../lib/http-compare.mjs';
import { fetchOnce, startServer } from '../lib/spawn-server.mjs';

const app = join(dirname(fileURLToPath(import.meta.url)), '..', 'apps', 'atrium-cache.mjs');
/** A cache hit skips the query and the render; below 2x it is not worth having. */
const TARGET = 2.0;
const PATH = '/posts';

export default {
  name: 'cache',
  description: 'cachePage on a query + template page vs the same page uncached (req/s), locmem and redis',
  cases: ['cache-locmem', 'cache-redis'],
  async run({ cases, config, loadGenerator, log }) {
    const results = [];
    for (const name of cases) {
      const backend = name.slice('cache-'.length);
      const cached = await startServer({ name: `cached-${backend}`, script: app, env: { CACHED: '1', CACHE_BACKEND: backend }, readyPath: PATH });
      let uncached;
      try {
        uncached = await startServer({ name: 'uncached', script: app, env: { CACHED: '0', CACHE_BACKEND: backend }, readyPath: PATH });
        const [a, b] = await Promise.all([fetchOnce(`${cached.url}${PATH}`), fetchOnce(`${uncached.url}${PATH}`)]);
        if (a.status !== 200 || b.status !== 200 || a.body !== b.body) {
          throw new Error(`Case '${name}': the cached and uncached pages differ (status ${a.status} vs ${b.status}); refusing to compare them.`);
        }
        log(`cached (${backend}) at ${cached.url}, uncached at ${uncached.url}; load: ${loadGenerator}`);
        results.push(await measureHttpCase({ name, path: PATH, subject: cached, baseline: uncached, config, tool: loadGenerator, log, target: TARGET }));
      } finally {
        await Promise.all([cached.stop(), uncached?.stop()]);
      }
    }
    return results;
  },
};
