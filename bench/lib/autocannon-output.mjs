// Read the JSON that `autocannon --json` prints into the same shape as
// parseWrkOutput, so suites do not care which load generator ran.

/**
 * Requests per second, latency percentiles and error counts from the stdout
 * of `autocannon --json` (autocannon 7 and 8).
 * @example parseAutocannonOutput(stdout).requestsPerSec
 */
export function parseAutocannonOutput(output) {
  // Progress output goes to stderr with -n, but keep only the JSON object in case a warning was printed first.
  const start = output.indexOf('{');
  const end = output.lastIndexOf('}');
  if (start < 0 || end < start) throw new SyntaxError(`autocannon output has no JSON object; run it with --json\n${output}`);
  let result;
  try {
    result = JSON.parse(output.slice(start, end + 1));
  } catch (cause) {
    throw new SyntaxError(`autocannon output is not valid JSON: ${cause.message}`, { cause });
  }
  if (!result.requests || !result.latency) {
    throw new SyntaxError('autocannon JSON has no requests/latency fields; is this `autocannon --json` output?');
  }
  const durationMs = Math.round(Number(result.duration) * 1000);
  // `requests.average` is the mean of the per-second samples; fall back to total/duration for runs under one sample.
  const requestsPerSec =
    result.requests.average > 0 ? result.requests.average : durationMs > 0 ? result.requests.total / (durationMs / 1000) : 0;
  return {
    requestsPerSec,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    durationMs,
    errors: (result.errors ?? 0) + (result.timeouts ?? 0),
    non2xx: result.non2xx ?? 0,
  };
}
