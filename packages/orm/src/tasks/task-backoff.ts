/** How long to wait before retrying: `base * factor^(attempt - 1)` ms, capped at `max`. */
export interface Backoff {
  /** ms before the first retry (default 1000). */
  base?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Longest wait in ms (default one hour). */
  max?: number;
}

/**
 * The delay in ms before the retry that follows failed attempt number `attempt` (1-based).
 * @example retryDelay(3, { base: 1000 }) // 4000
 */
export function retryDelay(attempt: number, backoff: Backoff = {}): number {
  const base = backoff.base ?? 1000;
  const factor = backoff.factor ?? 2;
  const max = backoff.max ?? 3_600_000;
  return Math.min(max, Math.round(base * factor ** Math.max(0, attempt - 1)));
}
