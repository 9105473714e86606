import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ImproperlyConfigured, type ManagementCommand } from '@atrium/core';
import { loadData } from '../testing/load-data.js';

/** `manage loaddata <fixture.json...> [--database alias]`: load JSON fixtures, each file in one transaction. */
export const loaddata: ManagementCommand = {
  name: 'loaddata',
  description: 'Load JSON fixtures ([{ "model": "app.model", "pk": 1, "fields": {...} }]) into the database.',
  arguments: [{ name: 'fixtures', description: 'fixture files (JSON)', required: true, variadic: true }],
  options: [{ flags: '--database <alias>', description: 'database alias to load into', default: 'default' }],
  async run(context, args, options) {
    const alias = typeof options['database'] === 'string' ? options['database'] : 'default';
    if (args.length === 0) throw new ImproperlyConfigured('loaddata needs at least one fixture file.');
    let total = 0;
    for (const file of args) {
      const path = resolve(context.cwd, file);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        throw new ImproperlyConfigured(`Cannot read fixture '${file}': ${(error as Error).message}`);
      }
      total += await loadData(text, alias);
    }
    context.stdout.write(`Installed ${total} object(s) from ${args.length} fixture(s)\n`);
    return 0;
  },
};

/** The command `manage` finds in this app's commands/ folder (the file name is the command name). */
export default loaddata;
