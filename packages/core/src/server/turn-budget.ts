/**
 * How long request handlers may run in one turn of the event loop before it
 * polls for I/O again. A turn costs a few microseconds, so splitting a burst
 * of cheap requests (64 hello worlds take about 2 ms) into two costs nothing
 * measurable, while 64 connections arriving at once under load are accepted
 * within about 64 turns of this length.
 */
export const TURN_BUDGET_MS = 2;

/**
 * Starts request handlers in arrival order, but only for about `budgetMs`
 * per turn of the event loop; the rest wait, in order, for the turns after.
 *
 * node:http calls the request listener from the poll phase for every request
 * that arrived, and since libuv 1.45 (Node 20) a listening socket accepts one
 * connection per turn (libuv PR #3696). Under load a turn serves every busy
 * connection, so a burst of new connections was accepted one per turn of
 * 20-30 ms: 64 clients connecting at once waited up to 0.5-1 s for their
 * first response (TechEmpower queries?queries=20 on SQLite, wrk -c64 for
 * 3 s: p99 300-470 ms while the server itself answered every request it had
 * read within 17 ms). With short turns the accepting keeps up and the work
 * is the same.
 *
 * A request arriving while nothing waits and the turn's budget is left runs
 * at once, as before; the first one of a turn arms a setImmediate that ends
 * the turn (check phase, right after the poll phase): it runs what waits
 * for the rest of the budget and, if anything is still left, arms itself for
 * the next turn, which runs it with a budget of its own while the requests
 * arriving meanwhile queue behind.
 * @example
 * const turns = new TurnBudget(TURN_BUDGET_MS);
 * server.on('request', (req, res) => turns.run(handle, req, res, undefined));
 */
export class TurnBudget {
  readonly #budgetMs: number;
  /** Waiting calls, flat: task, a, b, c, task, a, b, c... from #head on. */
  readonly #waiting: unknown[] = [];
  #head = 0;
  /** performance.now() at which this turn's budget is spent; -1 when no turn end is armed. */
  #deadline = -1;
  /** The armed turn end carries work over from an earlier turn (and so gets a budget of its own). */
  #carried = false;

  constructor(budgetMs: number) {
    this.#budgetMs = budgetMs;
  }

  /** Call `task(a, b, c)` now, or after what waits; `task` must not throw (nothing would catch it). */
  run<A, B, C>(task: (a: A, b: B, c: C) => void, a: A, b: B, c: C): void {
    if (this.#head === this.#waiting.length) {
      const now = performance.now();
      if (this.#deadline < 0) {
        this.#deadline = now + this.#budgetMs;
        setImmediate(this.#endTurn);
      }
      if (now < this.#deadline) {
        task(a, b, c);
        return;
      }
    }
    this.#waiting.push(task, a, b, c);
  }

  /** Requests waiting for a later turn. */
  get waiting(): number {
    return (this.#waiting.length - this.#head) / 4;
  }

  readonly #endTurn = (): void => {
    const waiting = this.#waiting;
    const deadline = this.#carried ? performance.now() + this.#budgetMs : this.#deadline;
    while (this.#head < waiting.length && performance.now() < deadline) {
      const at = this.#head;
      const task = waiting[at] as (a: unknown, b: unknown, c: unknown) => void;
      const a = waiting[at + 1];
      const b = waiting[at + 2];
      const c = waiting[at + 3];
      waiting[at] = waiting[at + 1] = waiting[at + 2] = waiting[at + 3] = undefined;
      this.#head = at + 4;
      task(a, b, c);
    }
    if (this.#head < waiting.length) {
      // Under lasting overload the queue never empties: drop the run part now and then, or it only grows.
      if (this.#head >= 4096 && this.#head * 2 >= waiting.length) {
        waiting.splice(0, this.#head);
        this.#head = 0;
      }
      this.#carried = true;
      setImmediate(this.#endTurn);
      return;
    }
    waiting.length = 0;
    this.#head = 0;
    this.#deadline = -1;
    this.#carried = false;
  };
}
