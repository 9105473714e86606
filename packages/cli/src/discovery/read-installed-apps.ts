import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built probe; the same path from src/ (tests) and dist/, as the reloader finds bin/manage.js. */
const PROBE_PATH = fileURLToPath(new URL('../../dist/discovery/installed-apps-probe.js', import.meta.url));
/** A settings module that takes longer than this is left to the normal load. */
const PROBE_TIMEOUT_MS = 20_000;
/** Flags that would make the probe open a debugger port the caller already holds, or wait for one. */
const INSPECTOR_FLAG = /^--(?:inspect|debug)(?:-brk|-port|-wait)?(?:=|$)/;

/**
 * INSTALLED_APPS of the settings module at `settingsPath`, read in a
 * short-lived child process (installed-apps-probe.ts), or null when that
 * fails for any reason (the caller then loads the project as before, which
 * reports the error). A process of its own because running settings.ts
 * needs the TypeScript loader, and once a process registers that loader
 * (its hooks thread on Node 20) every module it imports afterwards goes
 * through it, the framework's ~900 included: that costs the development
 * server about 10 MB of memory for good and most of a second. With the
 * list in hand the caller imports the package apps first (see
 * preloadPackageApps). The probe's own output is discarded, so a settings
 * module that prints is not heard twice.
 * @example await readInstalledApps('/srv/site/settings.ts', { cwd: '/srv/site', env: process.env }) // ['@atrium/orm', 'blog']
 */
export function readInstalledApps(settingsPath: string, options: { cwd: string; env: Record<string, string | undefined> }): Promise<string[] | null> {
  return new Promise((resolve) => {
    let answer: string[] | null = null;
    let child;
    try {
      child = fork(PROBE_PATH, [settingsPath], {
        cwd: options.cwd,
        env: options.env,
        execArgv: process.execArgv.filter((arg) => !INSPECTOR_FLAG.test(arg)),
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
        serialization: 'json',
      });
    } catch {
      resolve(null);
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
    child.on('message', (message: unknown) => {
      const apps = (message as { installedApps?: unknown } | null)?.installedApps;
      if (Array.isArray(apps) && apps.every((app) => typeof app === 'string')) answer = apps;
    });
    const settle = (): void => {
      clearTimeout(timer);
      resolve(answer);
    };
    child.on('error', settle);
    child.on('close', settle);
  });
}
