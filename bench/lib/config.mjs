// Benchmark settings. Command-line arguments are benchmark names (the
// contract of `npm run bench -- NAME...`), so tuning goes through BENCH_*
// environment variables instead.

/** The smallest number of A/B pairs a result may rest on. */
export const MIN_PAIRS = 5;

/**
 * Settings for a run, from BENCH_* environment variables.
 * @example readConfig({ BENCH_DURATION: '5' }).durationSec // 5
 */
export function readConfig(env = process.env) {
  const config = {
    pairs: whole(env, 'BENCH_PAIRS', 5),
    durationSec: positive(env, 'BENCH_DURATION', 3),
    warmupSec: positive(env, 'BENCH_WARMUP', 1),
    connections: whole(env, 'BENCH_CONNECTIONS', 64),
    loadGenerator: env.BENCH_LOAD_GENERATOR || null,
    strict: env.BENCH_STRICT === '1',
  };
  if (config.pairs < MIN_PAIRS) {
    throw new RangeError(`BENCH_PAIRS=${config.pairs} is too few: a median of pairwise ratios needs at least ${MIN_PAIRS} pairs on a noisy machine`);
  }
  if (config.loadGenerator !== null && !['wrk', 'autocannon'].includes(config.loadGenerator)) {
    throw new RangeError(`BENCH_LOAD_GENERATOR='${config.loadGenerator}' is unknown; use 'wrk' or 'autocannon' (or unset it to pick wrk when installed)`);
  }
  return config;
}

function positive(env, key, fallback) {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value > 0)) throw new RangeError(`${key}='${raw}' must be a positive number`);
  return value;
}

function whole(env, key, fallback) {
  const value = positive(env, key, fallback);
  if (!Number.isInteger(value)) throw new RangeError(`${key}='${env[key]}' must be a whole number`);
  return value;
}
