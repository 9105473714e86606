import { TaskRecord, type TaskStatus } from './task-record.js';

type Row = Awaited<ReturnType<typeof TaskRecord.objects.get>>;

/**
 * The handle of one enqueued run: its id and, after `refresh()`, its status,
 * attempts, result and last error as the queue table holds them.
 * @example const run = await resizeImage.enqueue(42); ...; await run.refresh(); if (run.status === 'succeeded') use(run.result);
 */
export class TaskResult<R = unknown> {
  readonly id: number;
  readonly name: string;
  #row: Row;
  readonly #using: string;

  constructor(row: Row, using = 'default') {
    this.id = row.id;
    this.name = row.name;
    this.#row = row;
    this.#using = using;
  }

  get status(): TaskStatus {
    return this.#row.status;
  }
  get attempts(): number {
    return this.#row.attempts;
  }
  /** The return value, once `status` is 'succeeded'. */
  get result(): R | null {
    return (this.#row.result ?? null) as R | null;
  }
  /** The error of the last failed attempt ('' when none failed). */
  get lastError(): string {
    return this.#row.lastError;
  }
  get enqueuedAt(): Date {
    return this.#row.enqueuedAt;
  }
  get finishedAt(): Date | null {
    return this.#row.finishedAt;
  }

  /** Re-read the row. */
  async refresh(): Promise<this> {
    this.#row = await TaskRecord.objects.using(this.#using).get({ id: this.id });
    return this;
  }
}

/**
 * The handle of the run with this id, or null when there is none.
 * @example const run = await getTaskResult(Number(params.id)); return json({ status: run?.status });
 */
export async function getTaskResult<R = unknown>(id: number, options: { using?: string } = {}): Promise<TaskResult<R> | null> {
  const using = options.using ?? 'default';
  const row = await TaskRecord.objects.using(using).filter({ id }).first();
  return row === null || row === undefined ? null : new TaskResult<R>(row, using);
}
