import { hostname } from 'node:os';
import { findTask } from './task-registry.js';
import { claimTask } from './claim-task.js';
import { retryDelay } from './task-backoff.js';
import { TaskRecord } from './task-record.js';

export interface WorkerOptions {
  /** Queues to take from (default: every queue). */
  queues?: readonly string[];
  /** Tasks run at the same time (default 1). */
  concurrency?: number;
  /** Exit once nothing is ready to run (instead of waiting for more). */
  burst?: boolean;
  /** Stop after this many runs (`--once` is 1). */
  maxTasks?: number;
  /** ms between polls of an empty queue (default 1000). */
  pollInterval?: number;
  /** Database alias of the queue table (default 'default'). */
  using?: string;
  /** ms after which a run still 'running' counts as abandoned by a killed worker and is run again; longer than your slowest task. Off by default. */
  staleAfter?: number;
  log?: (line: string) => void;
}

/** What a worker did before it stopped. */
export interface WorkerReport {
  succeeded: number;
  /** Failed runs put back in the queue for a retry. */
  retried: number;
  /** Runs that failed their last attempt (dead letter). */
  dead: number;
}

let workerCount = 0;

/**
 * Runs queued tasks: claims ready runs (see claimTask), calls their
 * function, and records success, a retry after exponential backoff, or the
 * dead letter with the last error once maxAttempts runs failed. `stop()`
 * (SIGTERM in `manage worker`) stops claiming and lets running tasks finish.
 * @example const worker = new TaskWorker({ queues: ['emails'], concurrency: 4 }); process.once('SIGTERM', () => worker.stop()); await worker.run();
 */
export class TaskWorker {
  readonly id = `${hostname()}:${process.pid}:${++workerCount}`;
  readonly #options: Required<Omit<WorkerOptions, 'queues' | 'maxTasks' | 'staleAfter'>> & Pick<WorkerOptions, 'queues' | 'maxTasks' | 'staleAfter'>;
  readonly #report: WorkerReport = { succeeded: 0, retried: 0, dead: 0 };
  #stopping = false;
  #wake: () => void = () => undefined;

  constructor(options: WorkerOptions = {}) {
    this.#options = {
      concurrency: Math.max(1, options.concurrency ?? 1),
      burst: options.burst ?? false,
      pollInterval: options.pollInterval ?? 1000,
      using: options.using ?? 'default',
      log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
      ...(options.queues ? { queues: options.queues } : {}),
      ...(options.maxTasks !== undefined ? { maxTasks: options.maxTasks } : {}),
      ...(options.staleAfter !== undefined ? { staleAfter: options.staleAfter } : {}),
    };
  }

  /** Stop claiming; run() resolves once the tasks already running have finished. */
  stop(): void {
    this.#stopping = true;
    this.#wake();
  }

  /** Work until stop(), or until the queue is empty (burst) or maxTasks ran. */
  async run(): Promise<WorkerReport> {
    const { concurrency, burst, pollInterval, maxTasks } = this.#options;
    const active = new Set<Promise<void>>();
    let started = 0;
    while (!this.#stopping) {
      let empty = false;
      while (active.size < concurrency && !this.#stopping && (maxTasks === undefined || started < maxTasks)) {
        const id = await this.#claim();
        if (id === null) {
          empty = true;
          break;
        }
        started++;
        const running: Promise<void> = this.#execute(id).finally(() => {
          active.delete(running);
          this.#wake();
        });
        active.add(running);
      }
      const limitReached = maxTasks !== undefined && started >= maxTasks;
      if ((limitReached || (burst && empty)) && active.size === 0) break;
      if (limitReached || (burst && empty)) {
        await Promise.race(active);
        continue;
      }
      // Wait for a free slot, a poll tick (when the queue looked empty), or stop().
      await new Promise<void>((resolve) => {
        const timer = empty ? setTimeout(resolve, pollInterval) : undefined;
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
        if (this.#stopping) this.#wake();
      });
    }
    await Promise.all(active);
    return { ...this.#report };
  }

  async #claim(): Promise<number | null> {
    try {
      return await claimTask({ using: this.#options.using, queues: this.#options.queues ?? null, workerId: this.id, staleAfter: this.#options.staleAfter ?? null });
    } catch (error) {
      // The database is down or busy: say so, and try again at the next poll rather than crash.
      this.#options.log(`Worker ${this.id}: could not claim a task: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  async #execute(id: number): Promise<void> {
    const { using, log } = this.#options;
    const objects = TaskRecord.objects.using(using);
    try {
      const row = await objects.get({ id });
      const task = findTask(row.name);
      try {
        if (task === undefined) throw new Error(`No task is registered as '${row.name}' in this worker; declare it with task() in an installed app's tasks.ts.`);
        const value = await task.call(...(row.args as unknown[]));
        await objects.filter({ id }).update({ status: 'succeeded', result: toJson(value), finishedAt: new Date() });
        this.#report.succeeded++;
        log(`Task ${row.name} #${id} succeeded (attempt ${row.attempts}).`);
      } catch (error) {
        const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
        if (row.attempts >= row.maxAttempts) {
          await objects.filter({ id }).update({ status: 'dead', lastError: text, finishedAt: new Date() });
          this.#report.dead++;
          log(`Task ${row.name} #${id} failed its last attempt (${row.attempts}/${row.maxAttempts}) and is dead: ${firstLine(text)}`);
        } else {
          const delay = retryDelay(row.attempts, task?.backoff);
          await objects.filter({ id }).update({ status: 'queued', lastError: text, runAfter: new Date(Date.now() + delay) });
          this.#report.retried++;
          log(`Task ${row.name} #${id} failed (attempt ${row.attempts}/${row.maxAttempts}); retrying in ${delay} ms: ${firstLine(text)}`);
        }
      }
    } catch (error) {
      // Recording the outcome failed (database gone): the row stays 'running' and is reported.
      log(`Worker ${this.id}: could not record the outcome of task #${id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function toJson(value: unknown): unknown {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!;
}
