import { AtriumError, type ManagementCommand } from '@atrium/core';
import { discoverTasks } from '../discover-tasks.js';
import { taskNames } from '../task-registry.js';
import { TaskWorker } from '../task-worker.js';

/**
 * `manage worker`: run background tasks from the queue table until SIGTERM
 * or SIGINT, which stop claiming and let the running tasks finish (exit 0).
 * `--burst` exits once nothing is ready; `--once` runs at most one task.
 * @example manage worker --queue emails,default --concurrency 4
 */
export const workerCommand: ManagementCommand = {
  name: 'worker',
  description: 'Run queued background tasks (retries, backoff, dead letter); SIGTERM finishes the running tasks, then exits',
  options: [
    { flags: '--queue <names>', description: 'comma-separated queues to take from (default: all)' },
    { flags: '--concurrency <n>', description: 'tasks run at the same time', default: '1' },
    { flags: '--burst', description: 'exit once no task is ready to run' },
    { flags: '--once', description: 'run at most one task, then exit' },
    { flags: '--poll-interval <ms>', description: 'ms between polls of an empty queue', default: '1000' },
    { flags: '--stale-after <seconds>', description: "run again a task left 'running' this long by a killed worker (longer than the slowest task)" },
    { flags: '--database <alias>', description: 'database alias of the queue table', default: 'default' },
  ],
  async run(context, _args, options) {
    const concurrency = positiveInteger('--concurrency', options['concurrency']);
    const pollInterval = positiveInteger('--poll-interval', options['pollInterval']);
    const staleAfter = options['staleAfter'] === undefined ? undefined : positiveInteger('--stale-after', options['staleAfter']) * 1000;
    const queues = typeof options['queue'] === 'string' ? options['queue'].split(',').map((q) => q.trim()).filter(Boolean) : undefined;
    const files = await discoverTasks(context.project!.context.apps.all());
    const log = (line: string): void => void context.stdout.write(`${line}\n`);
    const worker = new TaskWorker({
      concurrency,
      pollInterval,
      burst: options['burst'] === true,
      ...(options['once'] === true ? { maxTasks: 1, burst: true } : {}),
      ...(queues ? { queues } : {}),
      ...(staleAfter !== undefined ? { staleAfter } : {}),
      using: String(options['database'] ?? 'default'),
      log,
    });
    log(`Worker ${worker.id}: ${taskNames().length} task(s) from ${files.length} module(s); queues: ${queues?.join(', ') ?? 'all'}; concurrency ${concurrency}.`);
    const onSignal = (signal: NodeJS.Signals): void => {
      log(`Received ${signal}; finishing the running task(s) before exit.`);
      worker.stop();
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    try {
      const report = await worker.run();
      log(`Worker ${worker.id} stopped: ${report.succeeded} succeeded, ${report.retried} retried, ${report.dead} dead.`);
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    }
    return 0;
  },
};

function positiveInteger(flag: string, value: unknown): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new AtriumError('E_BAD_OPTION', `${flag} must be a positive integer, got '${String(value)}'.`);
  return number;
}

/** The command `manage` finds in this app's commands/ folder (the file name is the command name). */
export default workerCommand;
