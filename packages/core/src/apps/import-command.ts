import { pathToFileURL } from 'node:url';
import { ImproperlyConfigured } from '../errors.js';
import type { CommandFile } from './find-command-files.js';
import type { ManagementCommand } from './management-command.js';

/**
 * Import one command file and check its default export is the command the
 * file is named after, so `manage migrate` runs what `manage --help` listed.
 * @example const command = await importCommand({ name: 'demo', app: 'blog', file: '/srv/site/blog/commands/demo.ts' });
 */
export async function importCommand(found: CommandFile): Promise<ManagementCommand> {
  const mod = (await import(pathToFileURL(found.file).href)) as { default?: unknown };
  const command = mod.default as Partial<ManagementCommand> | undefined;
  if (typeof command !== 'object' || command === null || typeof command.run !== 'function' || typeof command.description !== 'string') {
    throw new ImproperlyConfigured(
      `${found.file} (a command of INSTALLED_APPS entry '${found.app}') must default-export a command: export default { name: '${found.name}', description: '...', run(context, args, options) {...} } satisfies ManagementCommand;`,
    );
  }
  if (command.name !== found.name) {
    throw new ImproperlyConfigured(`${found.file} default-exports the command '${String(command.name)}', but the file name makes it '${found.name}'; rename the file or the command so they agree.`);
  }
  return command as ManagementCommand;
}
