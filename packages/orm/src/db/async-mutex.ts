/**
 * A FIFO async lock. Used to serialise savepoint blocks that share one
 * connection (concurrent nested `atomic()` calls would otherwise interleave
 * SAVEPOINT / ROLLBACK TO and corrupt each other).
 */
export class AsyncMutex {
  #locked = false;
  readonly #waiters: Array<() => void> = [];

  async lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  unlock(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.lock();
    try {
      return await fn();
    } finally {
      this.unlock();
    }
  }
}
