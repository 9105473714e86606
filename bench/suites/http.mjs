// TechEmpower plaintext and json: Atrium's node:http server against bare
// node:http, both on the server core, loaded from the load core, alternating
// runs; the figure is the median of pairwise req/s ratios.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkResponses, measureHttpCase } from '../lib/http-compare.mjs';
import { startServer } from '../lib/spawn-server.mjs';
import { TECHEMPOWER_CASES } from '../lib/techempower.mjs';

const apps = join(dirname(fileURLToPath(import.meta.url)), '..', 'apps');
const TARGET = 0.9;

export default {
  name: 'http',
  description: 'TechEmpower plaintext/json: Atrium vs raw node:http (req/s)',
  cases: ['plaintext', 'json'],
  async run({ cases, config, loadGenerator, log }) {
    const atrium = await startServer({ name: 'atrium', script: join(apps, 'atrium-http.mjs'), readyPath: '/plaintext' });
    let baseline;
    try {
      baseline = await startServer({ name: 'raw-node', script: join(apps, 'raw-node.mjs'), readyPath: '/plaintext' });
      log(`atrium at ${atrium.url} (pid ${atrium.pid}), raw node:http at ${baseline.url} (pid ${baseline.pid}); load: ${loadGenerator}`);
      const results = [];
      for (const name of cases) {
        await checkResponses(name, atrium, baseline);
        const { path } = TECHEMPOWER_CASES[name];
        results.push(await measureHttpCase({ name, path, subject: atrium, baseline, config, tool: loadGenerator, log, target: TARGET }));
      }
      return results;
    } finally {
      await Promise.all([atrium.stop(), baseline?.stop()]);
    }
  },
};
