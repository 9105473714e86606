import { OrmUsageError } from '../errors.js';
import type { Task } from './task.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry of tasks of any argument types
type AnyTask = Task<any[], unknown>;

const tasks = new Map<string, AnyTask>();

/** Register a task under its name; a second, different task with the same name is refused. */
export function registerTask(task: AnyTask): void {
  const other = tasks.get(task.name);
  if (other !== undefined && other !== task) {
    throw new OrmUsageError(`Two tasks are named '${task.name}'; give one of them another name with task(fn, { name }).`);
  }
  tasks.set(task.name, task);
}

/** The task registered as `name`, or undefined (a worker marks such a record dead). */
export function findTask(name: string): AnyTask | undefined {
  return tasks.get(name);
}

/** Names of every registered task, for messages. */
export function taskNames(): string[] {
  return [...tasks.keys()].sort();
}
