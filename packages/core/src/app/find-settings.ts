import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ImproperlyConfigured } from '../errors.js';

const SETTINGS_FILES = ['settings.ts', 'settings.mts', 'settings.js', 'settings.mjs'];

/** The extensions a project module (settings, ROOT_URLCONF, app.ts, a command) may have. */
export const MODULE_EXTENSIONS: readonly string[] = ['.ts', '.mts', '.js', '.mjs'];

/**
 * The settings file: explicit, or searched upwards from `cwd`. Kept apart
 * from loadProject so `manage --help` can find the project without loading it.
 * @example findSettings(process.cwd(), process.env.ATRIUM_SETTINGS_MODULE) // '/srv/site/settings.ts'
 */
export function findSettings(cwd: string, explicit?: string): string {
  if (explicit) {
    const file = isAbsolute(explicit) ? explicit : resolve(cwd, explicit);
    const found = [file, ...MODULE_EXTENSIONS.map((ext) => file + ext)].find((f) => existsSync(f));
    if (!found) throw new ImproperlyConfigured(`Settings module '${explicit}' not found (looked for ${file}[.ts|.js]). Check ATRIUM_SETTINGS_MODULE or --settings.`);
    return found;
  }
  let dir = resolve(cwd);
  for (;;) {
    for (const name of SETTINGS_FILES) {
      const file = join(dir, name);
      if (existsSync(file)) return file;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new ImproperlyConfigured(
    `No settings.ts found in ${cwd} or its parents. Run manage inside an Atrium project (create one with npx create-app NAME), or set ATRIUM_SETTINGS_MODULE.`,
  );
}
