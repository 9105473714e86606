import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { ImproperlyConfigured } from '../errors.js';

const APP_MODULES = ['app.ts', 'app.mts', 'app.js', 'app.mjs'];

/** Where an INSTALLED_APPS entry lives on disk, found without importing it. */
export interface AppLocation {
  /** The INSTALLED_APPS entry ('blog', '@atrium/orm'). */
  entry: string;
  /** A folder of the project, or an installed package (its `/app` export). */
  kind: 'folder' | 'package';
  /** The module that default-exports its defineApp() config; null for a folder app without one. */
  moduleFile: string | null;
  /** The folder that holds the app module (or the app folder itself); its `commands/` holds the app's commands. */
  folder: string;
  /** Set for a project folder without an app module: the label derived from the folder name. */
  defaultLabel?: string;
}

/**
 * Find an INSTALLED_APPS entry: a folder of the project (`'blog'`,
 * `'apps/blog'`), whose optional `app.ts` default-exports a defineApp()
 * config, or a package name whose `/app` export does.
 * @example locateApp('@atrium/orm', '/srv/site') // { entry: '@atrium/orm', moduleFile: '/srv/site/node_modules/@atrium/orm/dist/app.js', folder: '.../dist' }
 */
export function locateApp(entry: string, root: string): AppLocation {
  const folder = resolve(root, entry);
  if (!entry.startsWith('@') && existsSync(folder) && statSync(folder).isDirectory()) {
    const moduleFile = APP_MODULES.map((f) => join(folder, f)).find((f) => existsSync(f)) ?? null;
    if (moduleFile !== null) return { entry, kind: 'folder', moduleFile, folder };
    return { entry, kind: 'folder', moduleFile: null, folder, defaultLabel: basename(folder).replace(/[^a-z0-9_]/gi, '_').toLowerCase() };
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
  return { entry, kind: 'package', moduleFile: resolved, folder: dirname(resolved) };
}
