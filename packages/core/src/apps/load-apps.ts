import { pathToFileURL } from 'node:url';
import { ImproperlyConfigured } from '../errors.js';
import type { AppConfig } from './app-config.js';
import { locateApp } from './locate-app.js';

/**
 * Load the INSTALLED_APPS entries. An entry is either a folder of the project
 * (`'blog'`, `'apps/blog'`), whose optional `app.ts` default-exports a
 * defineApp() config, or a package name whose `/app` export does.
 */
export async function loadApps(entries: readonly string[], root: string): Promise<AppConfig[]> {
  const apps: AppConfig[] = [];
  for (const entry of entries) apps.push(await loadApp(entry, root));
  return apps;
}

async function loadApp(entry: string, root: string): Promise<AppConfig> {
  const location = locateApp(entry, root);
  if (location.moduleFile === null) {
    const label = location.defaultLabel!;
    return { label, name: entry, path: location.folder, verboseName: label, middleware: {}, extensions: {} };
  }
  return { ...(await importConfig(location.moduleFile, entry)), name: entry };
}

async function importConfig(file: string, entry: string): Promise<AppConfig> {
  const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  const config = mod.default;
  if (!isAppConfig(config)) {
    throw new ImproperlyConfigured(`${file} (INSTALLED_APPS entry '${entry}') must default-export defineApp({ label, path: import.meta.dirname }).`);
  }
  return config;
}

function isAppConfig(value: unknown): value is AppConfig {
  return typeof value === 'object' && value !== null && typeof (value as AppConfig).label === 'string' && typeof (value as AppConfig).path === 'string';
}
