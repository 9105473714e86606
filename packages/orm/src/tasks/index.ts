/**
 * @atrium/orm/tasks — background tasks on a database-backed queue: declare
 * with task(), enqueue (transactional), run with `manage worker`.
 */
export { task, defineTask, Task, type TaskOptions, type EnqueueOptions, type JsonValue } from './task.js';
export { TaskResult, getTaskResult } from './task-result.js';
export { TaskRecord, TASK_STATUSES, type TaskStatus } from './task-record.js';
export { TaskWorker, type WorkerOptions, type WorkerReport } from './task-worker.js';
export { retryDelay, type Backoff } from './task-backoff.js';
export { claimTask, type ClaimOptions } from './claim-task.js';
export { discoverTasks } from './discover-tasks.js';
export { findTask, taskNames } from './task-registry.js';
