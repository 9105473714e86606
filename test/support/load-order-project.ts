import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repo } from './serve-process.js';

/** The first lines of a settings.ts that records, after the package app's entry, that it ran. */
export const RECORD_SETTINGS_RUN = "(globalThis as { loadOrder?: string[] }).loadOrder ??= [];\n(globalThis as { loadOrder: string[] }).loadOrder.push('settings.ts');\n";

/**
 * A temporary folder whose node_modules holds @atrium (linked to the
 * repository's) and `order-app`, a package app that appends 'package app' to
 * globalThis.loadOrder when imported. Sites made in it resolve packages from
 * there, as in a monorepo checkout, and have no node_modules of their own (so
 * no INSTALLED_APPS cache yet). 'package app' before 'settings.ts' in a
 * server's loadOrder means it imported the package apps before registering
 * the TypeScript loader, whose hooks cost each idle server process 10-30 MB
 * (issue #10).
 * @example const workspace = loadOrderWorkspace('atrium-first-start-'); const dir = workspace.site('site', { 'settings.ts': ..., 'urls.ts': ... });
 */
export function loadOrderWorkspace(prefix: string): { parent: string; site: (name: string, files: Record<string, string>) => string; remove: () => void } {
  const parent = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(parent, 'node_modules', 'order-app'), { recursive: true });
  symlinkSync(join(repo, 'node_modules', '@atrium'), join(parent, 'node_modules', '@atrium'), 'dir');
  writeFileSync(join(parent, 'node_modules', 'order-app', 'package.json'), '{ "name": "order-app", "type": "module", "exports": { "./app": "./app.js" } }\n');
  writeFileSync(
    join(parent, 'node_modules', 'order-app', 'app.js'),
    "import { defineApp } from '@atrium/core';\n(globalThis.loadOrder ??= []).push('package app');\nexport default defineApp({ label: 'order_app', path: import.meta.dirname });\n",
  );
  const site = (name: string, files: Record<string, string>): string => {
    const dir = join(parent, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
    return dir;
  };
  return { parent, site, remove: () => rmSync(parent, { recursive: true, force: true }) };
}
