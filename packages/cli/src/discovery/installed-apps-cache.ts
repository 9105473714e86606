import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { settingsDependencies } from './settings-dependencies.js';

const FORMAT = 1;

/**
 * INSTALLED_APPS as the last full load of the project found it, so
 * `manage --help` can list the apps' commands without running settings.ts
 * (which needs the TypeScript loader and @atrium/core: most of a second).
 * The entry is valid while nothing it can depend on changed: the settings
 * file and the files it imports by relative path (mtime and size), the .env
 * file beside it, the environment variables those files read and every
 * ATRIUM_* variable (values hashed, never stored), and the installed
 * packages (node_modules/.package-lock.json). A settings module that decides
 * INSTALLED_APPS some other way (reading a JSON file, the clock) can leave
 * `--help` listing the commands of the last load; any command that loads the
 * project refreshes it, and running an app command never relies on it.
 */
export class InstalledAppsCache {
  readonly #settingsPath: string;
  readonly #file: string;

  constructor(settingsPath: string) {
    this.#settingsPath = settingsPath;
    const root = dirname(settingsPath);
    this.#file = join(root, 'node_modules', '.cache', 'atrium', `installed-apps-${hash(settingsPath).slice(0, 16)}.json`);
  }

  /** The key of the project as it is now; take it before loading settings.ts (which may load .env into the environment). */
  key(env: Record<string, string | undefined>): string {
    const root = dirname(this.#settingsPath);
    const { files, envNames } = settingsDependencies(this.#settingsPath);
    const watched = [...files, join(root, '.env'), join(root, 'node_modules', '.package-lock.json')];
    const names = new Set([...envNames, ...Object.keys(env).filter((name) => name.startsWith('ATRIUM_'))]);
    const parts = {
      files: watched.map((file) => [file, stamp(file)]),
      env: [...names].sort().map((name) => [name, env[name] ?? null]),
    };
    return hash(JSON.stringify(parts));
  }

  /** The cached INSTALLED_APPS, or null when there is none for this key. */
  read(key: string): string[] | null {
    try {
      const entry = JSON.parse(readFileSync(this.#file, 'utf8')) as { format?: unknown; key?: unknown; installedApps?: unknown };
      if (entry.format !== FORMAT || entry.key !== key || !Array.isArray(entry.installedApps)) return null;
      return entry.installedApps.every((app) => typeof app === 'string') ? (entry.installedApps as string[]) : null;
    } catch {
      return null;
    }
  }

  /** Remember INSTALLED_APPS for `key`; a read-only or missing node_modules just means no cache. */
  write(key: string, installedApps: readonly string[]): void {
    try {
      mkdirSync(dirname(this.#file), { recursive: true });
      // Written aside, then renamed: `manage serve` workers load the project (and write this) at the same time.
      const temporary = `${this.#file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify({ format: FORMAT, settings: this.#settingsPath, key, installedApps })}\n`);
      renameSync(temporary, this.#file);
    } catch {
      // The cache only saves time; without it `--help` loads the project.
    }
  }
}

function stamp(file: string): string | null {
  try {
    const stat = statSync(file);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return null;
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
