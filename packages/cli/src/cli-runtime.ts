import type { Writable } from 'node:stream';
import { loadProject, type Project } from '@atrium/core';
import { withModuleTypeHint } from './module-type-hint.js';
import { registerTypeScriptLoader } from './typescript-loader.js';

/**
 * What every command gets: where it runs, where it writes, and the project,
 * loaded on first use only (so `--help`, `--version` and `startapp` stay fast
 * and work outside a project).
 */
export class CliRuntime {
  readonly cwd: string;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Record<string, string | undefined>;
  /** The global `--settings` value, if given. */
  readonly settingsModule: string | undefined;
  /** `--traceback`: print stacks for expected errors too. */
  readonly traceback: boolean;
  #project: Promise<Project> | null = null;

  constructor(options: {
    cwd: string;
    stdout: Writable;
    stderr: Writable;
    env: Record<string, string | undefined>;
    settingsModule?: string | undefined;
    traceback?: boolean;
  }) {
    this.cwd = options.cwd;
    this.stdout = options.stdout;
    this.stderr = options.stderr;
    this.env = options.env;
    this.settingsModule = options.settingsModule;
    this.traceback = options.traceback ?? false;
  }

  /** Load settings, apps and routes once; later calls get the same project. */
  loadProject(): Promise<Project> {
    if (this.#project === null) {
      const options = { cwd: this.cwd, env: this.env, ...(this.settingsModule !== undefined ? { settingsModule: this.settingsModule } : {}) };
      // The loader goes in before the first project module is imported.
      this.#project = registerTypeScriptLoader()
        .then(() => loadProject(options))
        .catch((error: unknown) => {
          throw withModuleTypeHint(error);
        });
    }
    return this.#project;
  }

  /** True once loadProject() was called. */
  get projectRequested(): boolean {
    return this.#project !== null;
  }

  /** Release what the project's apps hold (database pools...), if it was loaded. */
  async closeProject(): Promise<void> {
    if (this.#project === null) return;
    const pending = this.#project;
    this.#project = null;
    let project: Project;
    try {
      project = await pending;
    } catch {
      return; // it never loaded, so there is nothing to release; the load error was already reported
    }
    await project.close();
  }

  /** Write one line to stdout. */
  print(line = ''): void {
    this.stdout.write(`${line}\n`);
  }

  /** Write one line to stderr. */
  printError(line: string): void {
    this.stderr.write(`${line}\n`);
  }
}
