import { fork, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findSettings } from '@atrium/core/discovery';
import type { CliRuntime } from '../cli-runtime.js';
import { isChildMessage } from './child-messages.js';
import { ProjectWatcher } from './project-watcher.js';
import { workerExecArgv } from './worker-node-flags.js';

/** Coalesce an editor's burst of writes (save, rename, chmod) into one restart. */
const DEBOUNCE_MS = 100;
/** A child that ignores SIGTERM this long is killed. */
const KILL_AFTER_MS = 5_000;

const BIN_PATH = fileURLToPath(new URL('../../bin/manage.js', import.meta.url));

/**
 * Django's autoreloader, parent side: watch the project folder and run the
 * real server in a child (`manage runserver --noreload ...`), restarting it
 * after a change. SIGINT/SIGTERM are forwarded to the child, and the child
 * also stops when this process dies (its IPC channel closes). Resolves once
 * the server was stopped on request, or could not start for a reason no
 * file change fixes (port taken; then process.exitCode is the child's).
 */
export async function runWithReloader(runtime: CliRuntime, childArgs: readonly string[]): Promise<void> {
  // Find the project without importing it: the child does that, and a syntax error there must not stop the watcher.
  const root = dirname(findSettings(runtime.cwd, runtime.settingsModule ?? runtime.env['ATRIUM_SETTINGS_MODULE']));
  const supervisor = new ChildSupervisor(runtime, childArgs);
  let timer: NodeJS.Timeout | undefined;
  const changed = new Set<string>();
  const watcher = await ProjectWatcher.start(
    root,
    (file) => {
      changed.add(file);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const files = [...changed];
        changed.clear();
        const more = files.length > 1 ? ` and ${files.length - 1} more` : '';
        runtime.print(`Change detected in ${files[0]}${more}; restarting the server.`);
        supervisor.restart();
      }, DEBOUNCE_MS);
    },
    (warning) => runtime.printError(`Warning: ${warning}`),
  );
  try {
    await supervisor.run();
  } finally {
    clearTimeout(timer);
    watcher.close();
  }
}

/** Keeps one child server running; restarts it on demand; stops it on a signal. */
class ChildSupervisor {
  readonly #runtime: CliRuntime;
  readonly #args: readonly string[];
  #child: ChildProcess | null = null;
  #restartPending = false;
  #stopping = false;
  #done: () => void = () => {};

  constructor(runtime: CliRuntime, args: readonly string[]) {
    this.#runtime = runtime;
    this.#args = args;
  }

  run(): Promise<void> {
    const stop = () => this.#stop();
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return new Promise<void>((resolve) => {
      this.#done = resolve;
      this.#spawn();
    }).finally(() => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
    });
  }

  /** Replace the running child with a fresh one (or start one if the last one crashed). */
  restart(): void {
    if (this.#stopping) return;
    if (this.#child === null) {
      this.#spawn();
      return;
    }
    this.#restartPending = true;
    this.#terminate(this.#child);
  }

  #spawn(): void {
    let fatal = false;
    const child = fork(BIN_PATH, [...this.#args], {
      cwd: this.#runtime.cwd,
      env: this.#runtime.env,
      execArgv: workerExecArgv(process.execArgv, this.#runtime.env['NODE_OPTIONS']),
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    });
    this.#child = child;
    child.on('message', (message) => {
      if (isChildMessage(message) && message.type === 'fatal') fatal = true;
    });
    child.on('exit', (code, signal) => {
      if (this.#child === child) this.#child = null;
      if (this.#stopping) return this.#done();
      if (this.#restartPending) {
        this.#restartPending = false;
        return this.#spawn();
      }
      if (fatal) {
        // The child printed why (port taken); a file change would not help.
        process.exitCode = code ?? 1;
        return this.#done();
      }
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      this.#runtime.printError(`The server ${how}; waiting for a file change to restart it.`);
    });
  }

  #stop(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    if (this.#child === null) this.#done();
    else this.#terminate(this.#child);
  }

  #terminate(child: ChildProcess): void {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    timer.unref();
    child.once('exit', () => clearTimeout(timer));
  }
}
