import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ManagementCommand } from '@atrium/core';
import { dumpData } from '../testing/dump-data.js';

/** `manage dumpdata [app[.Model]...] [--database alias] [--indent n] [--output file]`: print rows as a JSON fixture. */
export const dumpdata: ManagementCommand = {
  name: 'dumpdata',
  description: 'Write the rows of apps or models as a JSON fixture (all models when none are named).',
  arguments: [{ name: 'labels', description: "app labels ('blog') or model labels ('blog.Post')", variadic: true }],
  options: [
    { flags: '--database <alias>', description: 'database alias to read', default: 'default' },
    { flags: '--indent <n>', description: 'pretty-print with this many spaces' },
    { flags: '-o, --output <file>', description: 'write to a file instead of stdout' },
  ],
  async run(context, args, options) {
    const alias = typeof options['database'] === 'string' ? options['database'] : 'default';
    const indent = options['indent'] === undefined ? undefined : Number(options['indent']);
    const fixture = await dumpData(args, alias);
    const text = `${JSON.stringify(fixture, null, indent !== undefined && Number.isFinite(indent) ? indent : undefined)}\n`;
    if (typeof options['output'] === 'string') {
      await writeFile(resolve(context.cwd, options['output']), text);
      context.stderr.write(`Wrote ${fixture.length} object(s) to ${options['output']}\n`);
    } else {
      context.stdout.write(text);
    }
    return 0;
  },
};

/** The command `manage` finds in this app's commands/ folder (the file name is the command name). */
export default dumpdata;
