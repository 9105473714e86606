import { beforeEach, expect, it } from 'vitest';
import { atomic, onCommit } from '../src/db/transaction.js';
import { task } from '../src/tasks/task.js';
import { TaskRecord } from '../src/tasks/task-record.js';
import { TaskWorker } from '../src/tasks/task-worker.js';
import { getTaskResult } from '../src/tasks/task-result.js';
import { retryDelay } from '../src/tasks/task-backoff.js';
import { forEachDatabase } from './support/databases.js';

const ran: Array<{ name: string; args: unknown[] }> = [];
let flaky = 0;

const add = task(async function addNumbers(a: number, b: number) {
  ran.push({ name: 'add', args: [a, b] });
  return { sum: a + b };
});
const flakyTask = task(
  async function flakyTask(failures: number) {
    flaky++;
    if (flaky <= failures) throw new Error(`flaky failure ${flaky}`);
    return 'ok';
  },
  { maxAttempts: 3, backoff: { base: 60_000, factor: 2 } },
);
const alwaysFails = task(
  async function alwaysFails() {
    throw new TypeError('the mail server said no');
  },
  { maxAttempts: 2, backoff: { base: 0 } },
);
const slow = task(async function slowRecord(n: number) {
  ran.push({ name: 'slow', args: [n] });
  await new Promise((r) => setTimeout(r, 3));
});
const emails = task(async function sendEmail(to: string) {
  ran.push({ name: 'email', args: [to] });
}, { queue: 'emails' });

const quiet = { log: () => undefined, pollInterval: 10 };

forEachDatabase('background tasks', (ctx) => {
  beforeEach(async () => {
    await ctx.flush();
    ran.length = 0;
    flaky = 0;
  });

  it('enqueue stores a run; a burst worker runs it and records the JSON result', async () => {
    const run = await add.enqueue(2, 3);
    expect(run.status).toBe('queued');
    const report = await new TaskWorker({ burst: true, ...quiet }).run();
    expect(report).toEqual({ succeeded: 1, retried: 0, dead: 0 });
    await run.refresh();
    expect(run.status).toBe('succeeded');
    expect(run.result).toEqual({ sum: 5 });
    expect(run.attempts).toBe(1);
    expect((await getTaskResult(run.id))?.result).toEqual({ sum: 5 });
    expect(await getTaskResult(run.id + 1000)).toBeNull();
  });

  it('refuses arguments that are not plain JSON', async () => {
    const dated = task(async function datedTask(_when: Date) {}, { name: `dated-${ctx.dialect}` });
    await expect(dated.enqueue(new Date())).rejects.toMatchObject({ code: 'E_ORM_USAGE' });
    expect(await TaskRecord.objects.count()).toBe(0);
  });

  it('retries a failing run after exponential backoff, storing the last error', async () => {
    const run = await flakyTask.enqueue(2);
    const before = Date.now();
    await new TaskWorker({ maxTasks: 1, burst: true, ...quiet }).run();
    let row = await TaskRecord.objects.get({ id: run.id });
    expect(row.status).toBe('queued');
    expect(row.attempts).toBe(1);
    expect(row.lastError).toContain('flaky failure 1');
    expect(row.runAfter.getTime() - before).toBeGreaterThanOrEqual(retryDelay(1, flakyTask.backoff) - 50);
    // Not ready yet: a burst worker finds nothing to do.
    expect(await new TaskWorker({ burst: true, ...quiet }).run()).toEqual({ succeeded: 0, retried: 0, dead: 0 });

    await TaskRecord.objects.filter({ id: run.id }).update({ runAfter: new Date(Date.now() - 1) });
    const second = Date.now();
    await new TaskWorker({ maxTasks: 1, burst: true, ...quiet }).run();
    row = await TaskRecord.objects.get({ id: run.id });
    expect(row.attempts).toBe(2);
    expect(row.runAfter.getTime() - second).toBeGreaterThanOrEqual(120_000 - 50);

    await TaskRecord.objects.filter({ id: run.id }).update({ runAfter: new Date(Date.now() - 1) });
    await new TaskWorker({ burst: true, ...quiet }).run();
    await run.refresh();
    expect(run.status).toBe('succeeded');
    expect(run.attempts).toBe(3);
    expect(run.result).toBe('ok');
  });

  it('moves a run to the dead letter after maxAttempts, keeping the last error', async () => {
    const run = await alwaysFails.enqueue();
    const report = await new TaskWorker({ burst: true, ...quiet }).run();
    expect(report).toEqual({ succeeded: 0, retried: 1, dead: 1 });
    await run.refresh();
    expect(run.status).toBe('dead');
    expect(run.attempts).toBe(2);
    expect(run.lastError).toContain('TypeError: the mail server said no');
    expect(run.finishedAt).toBeInstanceOf(Date);
  });

  it('a run of an unknown task is retried, then dead, naming the task', async () => {
    await TaskRecord.objects.create({ name: 'no.such.task', args: [], maxAttempts: 1, runAfter: new Date() });
    await new TaskWorker({ burst: true, ...quiet }).run();
    const row = await TaskRecord.objects.get({ name: 'no.such.task' });
    expect(row.status).toBe('dead');
    expect(row.lastError).toContain("No task is registered as 'no.such.task'");
  });

  it('a run enqueued in a rolled-back transaction never exists, so never runs', async () => {
    await expect(
      atomic(async () => {
        await add.enqueue(1, 1);
        throw new Error('order failed');
      }),
    ).rejects.toThrow('order failed');
    await atomic(async () => {
      await onCommit(() => add.enqueue(40, 2));
      throw new Error('rolled back');
    }).catch(() => undefined);
    expect(await TaskRecord.objects.count()).toBe(0);
    expect(await new TaskWorker({ burst: true, ...quiet }).run()).toEqual({ succeeded: 0, retried: 0, dead: 0 });
    expect(ran).toEqual([]);

    await atomic(async () => {
      await add.enqueue(1, 1);
      await onCommit(() => add.enqueue(40, 2));
    });
    await new TaskWorker({ burst: true, ...quiet }).run();
    expect(ran.map((r) => r.args)).toEqual([[1, 1], [40, 2]]);
  });

  if (ctx.dialect === 'postgres') {
    it('a run enqueued in an open transaction is invisible to workers until the commit', async () => {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let enqueued!: () => void;
      const inside = new Promise<void>((r) => (enqueued = r));
      const transaction = atomic(async () => {
        await add.enqueue(7, 7);
        enqueued();
        await held;
      });
      await inside;
      expect(await new TaskWorker({ burst: true, ...quiet }).run()).toEqual({ succeeded: 0, retried: 0, dead: 0 });
      release();
      await transaction;
      expect(await new TaskWorker({ burst: true, ...quiet }).run()).toEqual({ succeeded: 1, retried: 0, dead: 0 });
    });
  }

  it('two concurrent workers never run a task twice', async () => {
    for (let i = 0; i < 40; i++) await slow.enqueue(i);
    const [a, b] = [new TaskWorker({ burst: true, concurrency: 3, ...quiet }), new TaskWorker({ burst: true, concurrency: 3, ...quiet })];
    const reports = await Promise.all([a.run(), b.run()]);
    const numbers = ran.map((r) => r.args[0] as number).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(reports[0]!.succeeded + reports[1]!.succeeded).toBe(40);
    const workers = new Set((await TaskRecord.objects.all()).map((row) => row.workerId));
    expect(workers).toEqual(new Set([a.id, b.id]));
  });

  it('takes only the queues it is given, higher priority first', async () => {
    await emails.enqueue('ann@example.com');
    await add.enqueue(1, 2);
    await add.enqueueWith({ priority: 5 }, 10, 20);
    await new TaskWorker({ burst: true, queues: ['default'], ...quiet }).run();
    expect(ran.map((r) => r.args)).toEqual([[10, 20], [1, 2]]);
    await new TaskWorker({ burst: true, queues: ['emails'], ...quiet }).run();
    expect(ran.at(-1)).toEqual({ name: 'email', args: ['ann@example.com'] });
  });

  it("runs again a run left 'running' by a killed worker once staleAfter passed, counting the attempt", async () => {
    const abandoned = await add.enqueue(20, 22);
    await TaskRecord.objects.filter({ id: abandoned.id }).update({ status: 'running', attempts: 1, startedAt: new Date(Date.now() - 600_000), workerId: 'dead-host:1:1' });
    const recent = await add.enqueue(1, 1);
    await TaskRecord.objects.filter({ id: recent.id }).update({ status: 'running', attempts: 1, startedAt: new Date(), workerId: 'busy-host:1:1' });
    expect(await new TaskWorker({ burst: true, ...quiet }).run()).toEqual({ succeeded: 0, retried: 0, dead: 0 });
    expect(await new TaskWorker({ burst: true, staleAfter: 60_000, ...quiet }).run()).toEqual({ succeeded: 1, retried: 0, dead: 0 });
    await abandoned.refresh();
    expect(abandoned.status).toBe('succeeded');
    expect(abandoned.attempts).toBe(2);
    expect(abandoned.result).toEqual({ sum: 42 });
    expect((await recent.refresh()).status).toBe('running');
  });

  it('stop() lets the running task finish, then run() resolves', async () => {
    let finished = false;
    const gate = task(async function gatedTask() {
      await new Promise((r) => setTimeout(r, 50));
      finished = true;
    }, { name: `gated-${ctx.dialect}` });
    await gate.enqueue();
    const worker = new TaskWorker(quiet);
    const running = worker.run();
    for (let i = 0; i < 100 && (await TaskRecord.objects.filter({ status: 'running' }).count()) === 0; i++) await new Promise((r) => setTimeout(r, 5));
    worker.stop();
    expect(await running).toEqual({ succeeded: 1, retried: 0, dead: 0 });
    expect(finished).toBe(true);
  });
}, { models: [TaskRecord] });
