import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ImproperlyConfigured } from '../errors.js';
import type { AppConfig } from './app-config.js';

const APP_MODULES = ['app.ts', 'app.js', 'app.mjs'];

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
  const folder = resolve(root, entry);
  if (!entry.startsWith('@') && existsSync(folder) && statSync(folder).isDirectory()) {
    const moduleFile = APP_MODULES.map((f) => join(folder, f)).find((f) => existsSync(f));
    if (!moduleFile) {
      const label = basename(folder).replace(/[^a-z0-9_]/gi, '_').toLowerCase();
      return { label, name: entry, path: folder, verboseName: label, middleware: {}, commands: [], extensions: {} };
    }
    return { ...(await importConfig(moduleFile, entry)), name: entry };
  }
  let resolved: string;
  try {
    resolved = createRequire(join(root, 'package.json')).resolve(`${entry}/app`);
  } catch (cause) {
    throw new ImproperlyConfigured(
      `INSTALLED_APPS entry '${entry}' is neither a folder of the project (${folder}) nor an installed package with an '/app' export. Check the spelling, or run npm install.`,
      { cause },
    );
  }
  return { ...(await importConfig(resolved, entry)), name: entry };
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
