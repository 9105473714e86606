import { defineConfig } from 'vitest/config';

/**
 * The fault tests of test/robustness/faults/: each stops and restarts its own
 * PostgreSQL cluster (port 5433) or Redis (port 6390), kills server processes
 * and measures timings, so they run one file at a time, after the main run
 * (`npm test`), never beside the other test files.
 */
export default defineConfig({
  test: {
    // ROBUSTNESS_SOAK=1 (set by `npm run robustness`) adds the minute-long soak under load.
    include: ['test/robustness/faults/**/*.test.ts', ...(process.env['ROBUSTNESS_SOAK'] ? ['test/robustness/soak/**/*.test.ts'] : [])],
    exclude: ['**/node_modules/**', '**/dist/**'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    typecheck: { enabled: false },
  },
});
