/** Where cache warnings go; defaults to process.stderr. */
export type CacheLog = (message: string) => void;

export const stderrCacheLog: CacheLog = (message) => {
  process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
};

/**
 * A warning logger that writes at most once per `intervalMs`, then reports
 * how many it held back: an outage under load must not flood the log.
 * @example const warn = rateLimitedLog(console.error, 10_000); warn('redis down');
 */
export function rateLimitedLog(log: CacheLog, intervalMs: number, now: () => number = Date.now): CacheLog {
  let last = -Infinity;
  let suppressed = 0;
  return (message) => {
    const t = now();
    if (t - last < intervalMs) {
      suppressed++;
      return;
    }
    last = t;
    const held = suppressed;
    suppressed = 0;
    try {
      log(held > 0 ? `${message} (${held} similar warning${held === 1 ? '' : 's'} suppressed)` : message);
    } catch {
      // A broken log sink must not turn a cache miss into an error.
    }
  };
}
