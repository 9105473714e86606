import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ImproperlyConfigured } from '../errors.js';
import { validateSettings } from '../settings/validate-settings.js';
import type { RouteEntry } from '../routing/path.js';
import { createApplication, type CreateApplicationOptions } from './create-application.js';
import { findSettings, MODULE_EXTENSIONS } from './find-settings.js';
import type { Project } from './project.js';


export interface LoadProjectOptions {
  /** Folder to start looking from (default: the current directory); parents are searched too. */
  cwd?: string;
  /** Settings module path; default ATRIUM_SETTINGS_MODULE or `settings.ts` in the project root. */
  settingsModule?: string;
  env?: Record<string, string | undefined>;
}

/**
 * Load a project: settings module -> validated settings -> apps -> root
 * routes -> Application. TypeScript modules need a loader (the `manage` CLI
 * registers tsx before calling this).
 */
export async function loadProject(options: LoadProjectOptions = {}): Promise<Project> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const settingsPath = findSettings(cwd, options.settingsModule ?? env['ATRIUM_SETTINGS_MODULE']);
  const root = dirname(settingsPath);
  const raw = await importDefault(settingsPath, 'settings', 'export default defineSettings({ SECRET_KEY: ..., ... })');
  if (typeof raw !== 'object' || raw === null) {
    throw new ImproperlyConfigured(`${settingsPath} must default-export a settings object (export default defineSettings({...})).`);
  }
  const settings = validateSettings(raw as Record<string, unknown>, { env, source: settingsPath });
  const urlconfPath = resolveModule(root, settings.ROOT_URLCONF, 'ROOT_URLCONF');
  const urlconf = await importModule(urlconfPath, 'ROOT_URLCONF', 'export default [path(\'\', home, { name: \'home\' })]');
  const routes = urlconf.default;
  const converters = urlconf['converters'] as CreateApplicationOptions['converters'];
  if (!Array.isArray(routes)) {
    throw new ImproperlyConfigured(`${urlconfPath} (ROOT_URLCONF) must default-export an array of routes, got ${typeof routes}.`);
  }
  const app = await createApplication({
    settings,
    validated: true,
    routes: routes as RouteEntry[],
    root,
    settingsSource: settingsPath,
    ...(converters ? { converters } : {}),
  });
  return { ...app, context: app.context, handle: app.handle, close: app.close, root, settingsPath, urlconfPath, routes: routes as RouteEntry[] };
}

function resolveModule(root: string, specifier: string, setting: string): string {
  const base = resolve(root, specifier);
  const candidates = MODULE_EXTENSIONS.some((ext) => base.endsWith(ext)) ? [base] : MODULE_EXTENSIONS.map((ext) => base + ext);
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new ImproperlyConfigured(`${setting} '${specifier}' not found: looked for ${candidates.join(', ')}.`);
  return found;
}

async function importDefault(file: string, what: string, example: string): Promise<unknown> {
  return (await importModule(file, what, example)).default;
}

async function importModule(file: string, what: string, example: string): Promise<Record<string, unknown>> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (cause) {
    if (cause instanceof ImproperlyConfigured) throw cause;
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ImproperlyConfigured(`Could not load ${what} module ${file}: ${reason}`, { cause });
  }
  if (mod['default'] === undefined) throw new ImproperlyConfigured(`${file} has no default export; write: ${example}`);
  return mod;
}
