// Parse the text that `wrk --latency` prints. wrk has no machine-readable
// output without a Lua script, and its text format has been stable since 4.0.

const TIME_UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A wrk duration such as `812.00us`, `1.12ms` or `2.01s`, in milliseconds.
 * @example parseWrkDuration('1.5ms') // 1.5
 */
export function parseWrkDuration(textValue) {
  const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(textValue.trim());
  if (!match) throw new SyntaxError(`Cannot read wrk duration '${textValue}'; expected a number followed by us, ms, s, m or h`);
  return Number(match[1]) * TIME_UNIT_MS[match[2]];
}

/**
 * Read requests per second, latency percentiles and error counts from the
 * output of `wrk --latency`.
 * @example parseWrkOutput(stdout).requestsPerSec
 */
export function parseWrkOutput(output) {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(output);
  if (!rps) throw new SyntaxError(`wrk output has no 'Requests/sec:' line; was --latency run to completion?\n${output}`);
  const percentile = (p) => {
    const match = new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(output);
    if (!match) throw new SyntaxError(`wrk output has no ${p}% latency line; run wrk with --latency\n${output}`);
    return parseWrkDuration(match[1]);
  };
  const total = /^\s+(\d+) requests in ([\d.]+\w+),/m.exec(output);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  return {
    requestsPerSec: Number(rps[1]),
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    requests: total ? Number(total[1]) : 0,
    durationMs: total ? parseWrkDuration(total[2]) : 0,
    // Socket errors are counted apart from HTTP errors, as wrk does.
    errors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
    non2xx: non2xx ? Number(non2xx[1]) : 0,
  };
}
