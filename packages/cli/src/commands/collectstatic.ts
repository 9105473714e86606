import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ImproperlyConfigured } from '@atrium/core/errors';
import type { CliRuntime } from '../cli-runtime.js';
import { CommandError } from '../errors.js';
import type { Questioner } from '../prompts/questioner.js';

/** `manage collectstatic [--clear] [--noinput]`: copy every app's and project's static files into STATIC_ROOT. */
export function registerCollectstatic(program: Command, runtime: CliRuntime): void {
  program
    .command('collectstatic')
    .description('Copy static files from the apps and STATICFILES_DIRS into STATIC_ROOT, with content-hashed copies and a manifest')
    .option('--clear', 'delete everything in STATIC_ROOT first, so files removed from the sources disappear too')
    .option('--noinput', 'do not ask for confirmation before overwriting or deleting files')
    .addHelpText('after', '\nExamples:\n  manage collectstatic\n  manage collectstatic --clear --noinput')
    .action(async (options: { clear?: boolean; noinput?: boolean }) => {
      const project = await runtime.loadProject();
      // Imported with the project, not at the top, so `manage --help` does not load @atrium/core.
      const [{ collectStatic }, { noInputQuestioner, terminalQuestioner }] = await Promise.all([import('@atrium/core'), import('../prompts/questioner.js')]);
      const { settings, apps } = project.context;
      if (settings.STATIC_ROOT === null) {
        throw new ImproperlyConfigured("STATIC_ROOT is not set, so collectstatic has nowhere to copy files; set it in settings, e.g. STATIC_ROOT: 'staticfiles'.");
      }
      const staticRoot = resolve(project.root, settings.STATIC_ROOT);
      const questioner: Questioner = options.noinput ? noInputQuestioner : terminalQuestioner(process.stdin, runtime.stdout);
      if (await hasFiles(staticRoot)) {
        const what = options.clear ? 'This will DELETE every file in' : 'This will overwrite existing files in';
        if (!(await questioner.confirm(`${what} ${staticRoot}. Are you sure?`))) throw new CommandError('E_CANCELLED', 'Collecting static files cancelled.');
      }
      const result = await collectStatic({
        root: project.root,
        settings,
        apps,
        clear: options.clear === true,
        // The summary below is printed from the result; only warnings need the logger.
        logger: { info: () => {}, warn: (message) => runtime.printError(`Warning: ${message}`) },
      });
      if (options.clear) runtime.print(`Cleared ${result.staticRoot}.`);
      runtime.print(
        `${plural(result.copied, 'static file')} copied to ${result.staticRoot}, ${result.unmodified} unmodified, ` +
          `${plural(result.hashed, 'hashed copy', 'hashed copies')} written (${result.found} found).`,
      );
    });
}

async function hasFiles(folder: string): Promise<boolean> {
  try {
    return (await readdir(folder)).length > 0;
  } catch {
    return false;
  }
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
