import type pg from 'pg';

/** What waits at a PoolGate: started once a connection is free for it, or failed when its wait runs out. */
export interface GateWaiter {
  /** Run now on the pool; the gate counts one connection taken until release(). */
  start(): void;
  /** The wait ran out or the pool was ended: the waiter never ran, nothing was taken. */
  fail(error: Error): void;
}

/** The error of a wait past OPTIONS.connectionTimeoutMillis: pg-pool's own text, so translateDbError makes it DatabaseUnavailable. */
const WAIT_TIMEOUT = 'timeout exceeded when trying to connect';
/** pg-pool's text for a pool that was ended (also a DatabaseUnavailable). */
const ENDED = 'Cannot use a pool after calling end on the pool';

/**
 * The door to a pg pool: lets at most `max` statements or checkouts onto the
 * pool at a time, the rest wait here in order, and a wait longer than
 * `timeoutMs` fails with pg-pool's timeout error before anything was sent.
 *
 * pg-pool can time waits itself (its connectionTimeoutMillis), but it then
 * arms a timer and two closures for every checkout, even when a connection
 * is idle: with 20 queries per request that was the largest cost the ORM
 * added on PostgreSQL, in the timers themselves and in young-generation
 * collections that copied them (issue #10: twice the scavenge time of a
 * hand-written server). Here a checkout with a connection free costs a
 * counter, and all waiters share one timer. Since every checkout of the
 * pool comes through the gate, pg-pool always has a connection idle or
 * room to open one, so nothing waits inside it; opening a connection is
 * timed by the client itself (see createPostgresDialect).
 * @example
 * const gate = new PoolGate(pool, 10, 5_000);
 * gate.acquire({ start: () => pool.query(config, (error, result) => { gate.release(); ... }), fail: reject });
 */
export class PoolGate {
  readonly #pool: pg.Pool;
  readonly #max: number;
  readonly #timeoutMs: number;
  #taken = 0;
  /** Waiters in arrival order from #head on; their deadlines, in the same order, in #deadlines. */
  #waiters: Array<GateWaiter | undefined> = [];
  #deadlines: number[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;
  #ended: Promise<void> | undefined;

  /** `timeoutMs` 0 waits as long as it takes. */
  constructor(pool: pg.Pool, max: number, timeoutMs: number) {
    this.#pool = pool;
    this.#max = max;
    this.#timeoutMs = timeoutMs;
  }

  /** Start `waiter` now if a connection is free and nobody waits before it; else queue it. */
  acquire(waiter: GateWaiter): void {
    if (this.#ended !== undefined) {
      waiter.fail(new Error(ENDED));
      return;
    }
    if (this.#taken < this.#max && this.#head === this.#waiters.length) {
      this.#taken++;
      waiter.start();
      return;
    }
    this.#waiters.push(waiter);
    if (this.#timeoutMs > 0) {
      this.#deadlines.push(performance.now() + this.#timeoutMs);
      this.#timer ??= this.#arm(this.#timeoutMs);
    }
  }

  /** One connection taken through acquire() is back: hand it to the next waiter, or free it. */
  release(): void {
    const next = this.#shift();
    if (next === undefined) this.#taken--;
    else next.start();
  }

  /**
   * pool.connect() through the gate, for Kysely's driver (transactions and
   * raw SQL): the client's release() gives the connection back to the gate too.
   */
  connect(): Promise<pg.PoolClient> {
    return new Promise<pg.PoolClient>((resolve, reject) => {
      this.acquire({
        start: () => {
          this.#pool.connect().then(
            (client) => {
              const release = client.release;
              let released = false;
              client.release = (destroy?: boolean | Error) => {
                if (released) return release.call(client, destroy);
                released = true;
                try {
                  return release.call(client, destroy);
                } finally {
                  this.release();
                }
              };
              resolve(client);
            },
            (error: unknown) => {
              this.release();
              reject(error as Error);
            },
          );
        },
        fail: reject,
      });
    });
  }

  /** End the pool (once, however often called); whoever still waits fails as on an ended pool. */
  end(): Promise<void> {
    if (this.#ended !== undefined) return this.#ended;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (let waiter = this.#shift(); waiter !== undefined; waiter = this.#shift()) waiter.fail(new Error(ENDED));
    this.#ended = this.#pool.end();
    return this.#ended;
  }

  #shift(): GateWaiter | undefined {
    if (this.#head === this.#waiters.length) return undefined;
    const waiter = this.#waiters[this.#head];
    this.#waiters[this.#head++] = undefined;
    // Drop the consumed front when the queue drains (in place), or now and then under a queue that
    // never does, not on every shift (Array#shift moves every element).
    if (this.#head === this.#waiters.length) {
      this.#waiters.length = 0;
      this.#deadlines.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1024) {
      this.#waiters = this.#waiters.slice(this.#head);
      if (this.#timeoutMs > 0) this.#deadlines = this.#deadlines.slice(this.#head);
      this.#head = 0;
    }
    return waiter;
  }

  /** One timer for every waiter: it fails those whose deadline passed, then waits for the next one's. */
  #arm(delay: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.#timer = undefined;
      const now = performance.now();
      while (this.#head < this.#waiters.length && this.#deadlines[this.#head]! <= now) this.#shift()!.fail(new Error(WAIT_TIMEOUT));
      if (this.#head < this.#waiters.length) this.#timer = this.#arm(Math.max(1, this.#deadlines[this.#head]! - now));
    }, delay);
    // A wait must not keep the process alive by itself (pg-pool unrefs its timers too).
    timer.unref();
    return timer;
  }
}
