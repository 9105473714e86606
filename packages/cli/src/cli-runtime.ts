import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import type { Project } from '@atrium/core';
import { findSettings } from '@atrium/core/discovery';
import { InstalledAppsCache } from './discovery/installed-apps-cache.js';
import { preloadPackageApps } from './discovery/preload-package-apps.js';
import { readInstalledApps } from './discovery/read-installed-apps.js';
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
  #settingsPath: string | undefined;
  #installedApps: { store: InstalledAppsCache; key: string; installedApps: readonly string[] | null } | null | undefined;

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

  /** The settings file of the project manage runs in; throws ImproperlyConfigured outside a project. */
  settingsPath(): string {
    return (this.#settingsPath ??= findSettings(this.cwd, this.settingsModule ?? this.env['ATRIUM_SETTINGS_MODULE']));
  }

  /**
   * INSTALLED_APPS as the cache the last project load wrote has it, or null
   * (stale, missing, or no project). Read once per process, with the key
   * taken before settings.ts runs (it may load .env into the environment).
   */
  cachedInstalledApps(): readonly string[] | null {
    return this.#installedAppsCache()?.installedApps ?? null;
  }

  #installedAppsCache(): { store: InstalledAppsCache; key: string; installedApps: readonly string[] | null } | null {
    if (this.#installedApps === undefined) {
      try {
        const store = new InstalledAppsCache(this.settingsPath());
        const key = store.key(this.env);
        this.#installedApps = { store, key, installedApps: store.read(key) };
      } catch {
        this.#installedApps = null; // no settings file: loadProject reports that
      }
    }
    return this.#installedApps;
  }

  /**
   * Let the next loadProject() import the package apps before the TypeScript
   * loader even when the INSTALLED_APPS cache is stale or missing (a fresh
   * checkout, settings.ts just edited): read INSTALLED_APPS in a short-lived
   * process first (readInstalledApps). Without it such a load takes every
   * framework module through the loader's hooks, which left the development
   * server's idle worker 10-15 MB larger, and `manage serve`'s primary and
   * workers about 30 MB each (issue #10). Meant for a process that loads the
   * project and then keeps running (runserver's worker, serve's primary and
   * workers); a one-off command would pay for a second process start
   * whenever the cache is stale. Does nothing when the cache is current or
   * the project is already loading.
   */
  async prepareInstalledApps(): Promise<void> {
    const cache = this.#installedAppsCache();
    if (cache === null || cache.installedApps !== null || this.#project !== null) return;
    cache.installedApps = await readInstalledApps(this.settingsPath(), { cwd: this.cwd, env: this.env });
  }

  /**
   * Load settings, apps and routes once; later calls get the same project.
   * Each load also refreshes the INSTALLED_APPS cache `manage --help` reads.
   */
  loadProject(): Promise<Project> {
    if (this.#project === null) {
      const options = { cwd: this.cwd, env: this.env, ...(this.settingsModule !== undefined ? { settingsModule: this.settingsModule } : {}) };
      this.#project = this.#load(options).catch((error: unknown) => {
        throw withModuleTypeHint(error);
      });
    }
    return this.#project;
  }

  async #load(options: { cwd: string; env: Record<string, string | undefined>; settingsModule?: string }): Promise<Project> {
    const cache = this.#installedAppsCache();
    // @atrium/core is imported only now, so `manage --help` never pays for it; it and the
    // package apps load before the TypeScript loader, whose hooks slow every later import.
    const { loadProject } = await import('@atrium/core');
    if (cache?.installedApps) await preloadPackageApps(cache.installedApps, dirname(this.settingsPath()));
    await registerTypeScriptLoader();
    const project = await loadProject(options);
    cache?.store.write(cache.key, project.context.settings.INSTALLED_APPS);
    return project;
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
