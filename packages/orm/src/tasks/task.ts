import { OrmUsageError } from '../errors.js';
import type { Backoff } from './task-backoff.js';
import { registerTask } from './task-registry.js';
import { TaskRecord } from './task-record.js';
import { TaskResult } from './task-result.js';

/** JSON values: what task arguments and results may be (they are stored as JSON). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface TaskOptions {
  /** Registered name, stored with each run (default: the function's name). Must stay stable across deploys. */
  name?: string;
  /** Queue workers pick it from (default 'default'); `manage worker --queue q`. */
  queue?: string;
  /** Runs before the task goes to the dead letter (default 3). */
  maxAttempts?: number;
  backoff?: Backoff;
  /** Higher runs first (default 0). */
  priority?: number;
  /** Database alias of the queue table (default 'default'). */
  using?: string;
}

export interface EnqueueOptions {
  /** ms before it may run. */
  delay?: number;
  /** Earliest time it may run (wins over delay). */
  runAfter?: Date;
  queue?: string;
  priority?: number;
  using?: string;
}

/**
 * A background task: a function whose calls are stored in the queue table
 * and run later by `manage worker`, with retries.
 */
export class Task<A extends unknown[], R> {
  readonly name: string;
  readonly queue: string;
  readonly maxAttempts: number;
  readonly backoff: Backoff;
  readonly priority: number;
  readonly using: string;
  readonly #fn: (...args: A) => R | Promise<R>;

  constructor(fn: (...args: A) => R | Promise<R>, options: TaskOptions = {}) {
    if (typeof fn !== 'function') throw new OrmUsageError(`task() needs a function as its first argument, got ${typeof fn}.`);
    const name = options.name ?? fn.name;
    if (!name) throw new OrmUsageError('task(fn) needs a named function or task(fn, { name }): the name is how a worker finds the function.');
    const maxAttempts = options.maxAttempts ?? 3;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new OrmUsageError(`Task '${name}': maxAttempts must be an integer >= 1, got ${String(maxAttempts)}.`);
    this.name = name;
    this.queue = options.queue ?? 'default';
    this.maxAttempts = maxAttempts;
    this.backoff = options.backoff ?? {};
    this.priority = options.priority ?? 0;
    this.using = options.using ?? 'default';
    this.#fn = fn;
  }

  /**
   * Store a run of this task with `args` and return its handle. Inside
   * atomic() the row is written in the transaction: a rollback removes it,
   * so the task never runs, and no worker sees it before the commit.
   * @example const run = await sendWelcome.enqueue(user.id);
   */
  enqueue(...args: A): Promise<TaskResult<R>> {
    return this.enqueueWith({}, ...args);
  }

  /**
   * `enqueue` with per-run options: a delay or start time, another queue or priority.
   * @example await sendReminder.enqueueWith({ delay: 60_000 }, user.id);
   */
  async enqueueWith(options: EnqueueOptions, ...args: A): Promise<TaskResult<R>> {
    const stored = jsonArguments(this.name, args);
    const runAfter = options.runAfter ?? new Date(Date.now() + Math.max(0, options.delay ?? 0));
    const record = await TaskRecord.objects.using(options.using ?? this.using).create({
      name: this.name,
      queue: options.queue ?? this.queue,
      args: stored,
      priority: options.priority ?? this.priority,
      maxAttempts: this.maxAttempts,
      runAfter,
    });
    return new TaskResult<R>(record, options.using ?? this.using);
  }

  /** Run the function now, in this process (what a worker does with a claimed run). */
  call(...args: A): Promise<R> {
    return Promise.resolve().then(() => this.#fn(...args));
  }
}

/**
 * Declare a background task (Django 6's `@task`). Declare tasks in an app's
 * `tasks.ts`: `manage worker` imports that module of every installed app.
 * @example
 * export const sendWelcome = task(async function sendWelcome(userId: number) {
 *   const user = await User.objects.get({ id: userId });
 *   await sendMail({ to: [user.email], subject: 'Welcome' });
 * }, { maxAttempts: 5, backoff: { base: 10_000 } });
 */
export function task<A extends unknown[], R>(fn: (...args: A) => R | Promise<R>, options: TaskOptions = {}): Task<A, Awaited<R>> {
  const created = new Task<A, Awaited<R>>(fn as (...args: A) => Awaited<R>, options);
  registerTask(created);
  return created;
}

/** Alias of `task()`, for readers who know `defineTask` from other frameworks. */
export const defineTask = task;

/** The arguments as a JSON array, refusing what JSON would silently change (undefined, functions, NaN, Dates...). */
function jsonArguments(name: string, args: readonly unknown[]): unknown[] {
  const text = JSON.stringify(args);
  const back = JSON.parse(text) as unknown[];
  if (!sameJson(args, back)) {
    throw new OrmUsageError(
      `Task '${name}' was enqueued with arguments that are not plain JSON (${describe(args)}); pass ids, strings, numbers, booleans, null, arrays and plain objects, and load rows inside the task.`,
    );
  }
  return back;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const proto = Object.getPrototypeOf(a) as unknown;
  if (!Array.isArray(a) && proto !== Object.prototype && proto !== null) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

function describe(args: readonly unknown[]): string {
  return args.map((arg) => (arg === null ? 'null' : typeof arg === 'object' ? ((Object.getPrototypeOf(arg) as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'object') : typeof arg)).join(', ');
}
