import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // Fault tests stop servers and kill processes: they run one file at a time in
    // vitest.robustness.config.ts, after this run. The soak runs only in `npm run robustness`.
    exclude: ['**/node_modules/**', '**/dist/**', 'test/robustness/faults/**', 'test/robustness/soak/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    typecheck: { enabled: false },
  },
});
