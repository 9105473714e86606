import { f } from '../fields/f.js';
import { model } from '../model/model.js';
import type { Infer } from '../model/model-types.js';

/** Where a task is in its life: waiting (also between retries), being run, done, or given up (dead letter). */
export const TASK_STATUSES = ['queued', 'running', 'succeeded', 'dead'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * One enqueued run of a task (table atrium_task): what to run and with which
 * arguments, when it may run, how often it was tried, and how it ended.
 * Enqueued with the ORM, so inside atomic() the row exists only if the
 * transaction commits; workers claim rows with one atomic UPDATE.
 * @example await TaskRecord.objects.filter({ status: 'dead' }).count();
 */
export const TaskRecord = model(
  'atrium_tasks.TaskRecord',
  {
    id: f.auto(),
    /** The task's registered name. */
    name: f.string({ maxLength: 255 }),
    queue: f.string({ maxLength: 100, default: 'default' }),
    /** JSON array of the positional arguments. */
    args: f.json<unknown[]>(),
    status: f.enum(TASK_STATUSES, { default: 'queued' }),
    /** Higher runs first. */
    priority: f.integer({ default: 0 }),
    /** Runs started so far (the claim counts one). */
    attempts: f.integer({ default: 0 }),
    maxAttempts: f.integer({ default: 3 }),
    /** Not claimed before this time (a delay, or the backoff after a failure). */
    runAfter: f.datetime(),
    enqueuedAt: f.datetime({ autoNowAdd: true }),
    startedAt: f.datetime({ null: true }),
    finishedAt: f.datetime({ null: true }),
    /** The return value of the successful run, as JSON. */
    result: f.json({ null: true }),
    /** Error (with stack) of the last failed attempt; kept on the dead letter. */
    lastError: f.text({ default: '' }),
    /** Which worker holds or last held the task (host:pid:n). */
    workerId: f.string({ maxLength: 255, default: '' }),
  },
  {
    table: 'atrium_task',
    verboseName: 'task',
    indexes: [{ name: 'atrium_task_claim_idx', fields: ['status', 'queue', 'runAfter'] }],
  },
);
export type TaskRecord = Infer<typeof TaskRecord>;

