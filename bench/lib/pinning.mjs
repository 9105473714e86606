// Pin processes to cores with taskset so the server under test and the load
// generator never fight over one core (the machine has two).
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** The core servers run on. */
export const SERVER_CPU = 0;
/** The core load generators run on. */
export const LOAD_CPU = 1;

let tasksetWorks;

/** Whether `taskset` exists and this machine has at least two cores to split. */
export function canPin() {
  tasksetWorks ??= availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  return tasksetWorks;
}

/**
 * The command and arguments that run `command args...` on core `cpu` (a core
 * number, or a taskset list such as '0,1'; unpinned when pinning is
 * impossible here).
 * @example pinned(0, 'node', ['app.mjs']) // { command: 'taskset', args: ['-c', '0', 'node', 'app.mjs'], pinned: true }
 */
export function pinned(cpu, command, args) {
  if (!canPin()) return { command, args, pinned: false };
  return { command: 'taskset', args: ['-c', String(cpu), command, ...args], pinned: true };
}
