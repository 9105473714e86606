/**
 * Counters with expiry for the login throttle: a cache, in memory or Redis.
 * Keys are made by the throttle (hashed), never raw user input.
 */
export interface ThrottleStore {
  /** Add one to `key`, starting a window of `windowSeconds` on the first hit; returns the new count. */
  increment(key: string, windowSeconds: number): Promise<number>;
  /** The current count (0 when absent or expired). */
  count(key: string): Promise<number>;
  /** Lock `key` for `seconds`. */
  lock(key: string, seconds: number): Promise<void>;
  /** Seconds left on a lock (0 when not locked). */
  lockedFor(key: string): Promise<number>;
  /** Remove counters and locks. */
  delete(...keys: string[]): Promise<void>;
  close?(): Promise<void>;
}
