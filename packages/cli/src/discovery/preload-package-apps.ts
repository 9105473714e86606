import { pathToFileURL } from 'node:url';
import { locateApp } from '@atrium/core/discovery';

/**
 * Import the installed apps that are packages of compiled JavaScript
 * (`@atrium/orm`, `@atrium/auth`...) before the TypeScript loader is
 * registered. On Node 20 registered module hooks run in a separate thread,
 * and every resolve and load of every module imported after registration
 * makes a round trip to it: for the framework's ~900 modules that was most of
 * runserver's start-up. A module is loaded once, so importing these first
 * leaves the hooks only the project's own files. Errors are left for
 * loadProject, which imports the same modules again and reports them.
 * @example await preloadPackageApps(['@atrium/orm', '@atrium/auth', 'blog'], '/srv/site');
 */
export async function preloadPackageApps(entries: readonly string[], root: string): Promise<void> {
  const modules: string[] = [];
  for (const entry of entries) {
    try {
      const location = locateApp(entry, root);
      if (location.kind === 'package' && location.moduleFile !== null && /\.[cm]?js$/.test(location.moduleFile)) modules.push(location.moduleFile);
    } catch {
      // Not installed: loadProject says so, naming the entry.
    }
  }
  // In INSTALLED_APPS order, as loadApps imports them.
  for (const file of modules) await import(pathToFileURL(file).href).catch(() => undefined);
}
