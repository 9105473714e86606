import { Writable } from 'node:stream';
import { beforeEach, expect, it } from 'vitest';
import type { CommandContext, Project } from '@atrium/core';
import { AppRegistry } from '@atrium/core';
import { task } from '../src/tasks/task.js';
import { TaskRecord } from '../src/tasks/task-record.js';
import { workerCommand } from '../src/tasks/commands/worker.js';
import { forEachDatabase } from './support/databases.js';

let finished = 0;
const slowTask = task(async function workerCommandSlowTask() {
  await new Promise((r) => setTimeout(r, 80));
  finished++;
});

function context(): { context: CommandContext; output: () => string } {
  let text = '';
  const stdout = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  const project = { context: { apps: new AppRegistry([]) } } as unknown as Project;
  return { context: { project, cwd: process.cwd(), stdout, stderr: stdout }, output: () => text };
}

forEachDatabase('manage worker', (ctx) => {
  beforeEach(async () => {
    await ctx.flush();
    finished = 0;
  });

  it('--burst runs every ready task and reports', async () => {
    await slowTask.enqueue();
    await slowTask.enqueue();
    const { context: c, output } = context();
    expect(await workerCommand.run(c, [], { burst: true, concurrency: '2', pollInterval: '10', database: 'default' })).toBe(0);
    expect(finished).toBe(2);
    expect(output()).toMatch(/stopped: 2 succeeded, 0 retried, 0 dead/);
  });

  it('SIGTERM stops claiming, finishes the running task, then exits 0', async () => {
    await slowTask.enqueue();
    await slowTask.enqueue();
    const { context: c, output } = context();
    const listeners = process.listenerCount('SIGTERM');
    const running = workerCommand.run(c, [], { concurrency: '1', pollInterval: '10', database: 'default' });
    for (let i = 0; i < 200 && (await TaskRecord.objects.filter({ status: 'running' }).count()) === 0; i++) await new Promise((r) => setTimeout(r, 5));
    process.emit('SIGTERM', 'SIGTERM');
    expect(await running).toBe(0);
    expect(finished).toBe(1);
    expect(await TaskRecord.objects.filter({ status: 'queued' }).count()).toBe(1);
    expect(output()).toContain('Received SIGTERM; finishing the running task(s) before exit.');
    expect(process.listenerCount('SIGTERM')).toBe(listeners);
  });

  it('refuses a bad --concurrency with a clear error', async () => {
    const { context: c } = context();
    await expect(Promise.resolve().then(() => workerCommand.run(c, [], { concurrency: 'lots', pollInterval: '10' }))).rejects.toMatchObject({ code: 'E_BAD_OPTION' });
  });
}, { models: [TaskRecord] });
