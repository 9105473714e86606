import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppLocation } from './locate-app.js';

/** A command file of an installed app, found by its name alone. */
export interface CommandFile {
  /** The command name: the file name without its extension ('migrate'). */
  name: string;
  /** The INSTALLED_APPS entry of the app that contributes it. */
  app: string;
  /** Absolute path of the module that default-exports the ManagementCommand. */
  file: string;
}

const COMMAND_FILE = /^([a-z0-9][a-z0-9_-]*)\.(?:ts|mts|js|mjs)$/;
const DECLARATION = /\.d\.m?ts$/;

/**
 * The commands an app contributes: the files of `commands/` beside its app
 * module, one command per file named after it, as Django's find_commands
 * lists management/commands/ without importing anything. Files whose name
 * starts with `_` or that are not modules (declarations, source maps) are
 * not commands. Sorted by name; a name found twice (migrate.ts beside a
 * compiled migrate.js) counts once, the first in that order.
 * @example findCommandFiles(locateApp('@atrium/orm', root)) // [{ name: 'createcachetable', app: '@atrium/orm', file: '.../dist/commands/createcachetable.js' }, ...]
 */
export function findCommandFiles(location: AppLocation): CommandFile[] {
  const folder = join(location.folder, 'commands');
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return []; // no commands/ folder: the app contributes no commands
  }
  const found = new Map<string, CommandFile>();
  for (const fileName of names.sort()) {
    const match = COMMAND_FILE.exec(fileName);
    if (match === null || DECLARATION.test(fileName) || found.has(match[1]!)) continue;
    found.set(match[1]!, { name: match[1]!, app: location.entry, file: join(folder, fileName) });
  }
  return [...found.values()];
}
