import { expect, it } from 'vitest';
import { makeMigrations } from '../src/migrations/make-migrations.js';
import { NonInteractiveQuestioner } from '../src/migrations/index.js';
import tasksApp from '../src/tasks/app.js';
import { TaskRecord } from '../src/tasks/task-record.js';

it("the tasks app's shipped migration matches the TaskRecord model (makemigrations finds nothing to do)", async () => {
  expect(tasksApp.label).toBe('atrium_tasks');
  const made = await makeMigrations({ apps: [tasksApp], models: [TaskRecord], dryRun: true, questioner: new NonInteractiveQuestioner() });
  expect(made).toEqual([]);
});
