import { relative } from 'node:path';
import type { Readable } from 'node:stream';
import type { CommandContext, ManagementCommand } from '@atrium/core';
import { MigrationUsageError } from '../migrations/errors.js';
import { makeMigrations, mergeMigrations, type MadeMigration } from '../migrations/make-migrations.js';
import { InteractiveQuestioner } from '../migrations/questioner/interactive-questioner.js';
import { NonInteractiveQuestioner } from '../migrations/questioner/non-interactive-questioner.js';
import type { Questioner } from '../migrations/questioner/questioner.js';
import { askYes, verbosity, withExitCodes } from '../migrations/migration-command-support.js';

export interface MakeMigrationsCommandOptions {
  /** Where questions are answered (default process.stdin; asked only on a TTY unless `interactive`). */
  input?: Readable & { isTTY?: boolean };
  /** Ask even when `input` is not a TTY (tests script the answers). */
  interactive?: boolean;
  /** Module written files import from (default '@atrium/orm/migrations'). */
  importFrom?: string;
}

/**
 * `manage makemigrations [APP...] [--name] [--dry-run] [--check] [--noinput]
 * [--empty] [--merge] [--rename old=new...] [--default app.Model.field=value...]`:
 * write the migrations that bring the apps' migrations in line with their
 * models. Exit codes: 0 (written, or no changes), 1 (--check found changes),
 * 2 (bad usage), 3 (a question could not be answered).
 * @example
 * // npx manage makemigrations blog --name add_slug
 */
export function createMakeMigrationsCommand(commandOptions: MakeMigrationsCommandOptions = {}): ManagementCommand {
  return {
    name: 'makemigrations',
    description: 'Write new migrations for the changes made to models.',
    arguments: [{ name: 'apps', description: 'app labels (all apps when left out)', variadic: true, required: false }],
    options: [
      { flags: '--name <name>', description: "name after the number ('add_slug') instead of a generated one" },
      { flags: '--dry-run', description: 'show what would be written, write nothing' },
      { flags: '--check', description: 'exit 1 when models have changes without a migration (write nothing): for CI' },
      { flags: '--noinput', description: 'never ask: renames only from --rename, one-off values only from --default' },
      { flags: '--empty', description: 'write an empty migration for the given apps (for hand-written data migrations)' },
      { flags: '--merge', description: 'join conflicting migration branches with a merge migration' },
      { flags: '--rename <renames...>', description: "accept renames without asking: blog.Post.titel=title (a field), blog.Post=Article (a model)" },
      { flags: '--default <values...>', description: 'one-off values for existing rows: blog.Post.slug=\'"x"\' (JSON)' },
      { flags: '-v, --verbose', description: 'also print the migration files (with --dry-run)' },
      { flags: '-q, --quiet', description: 'print errors only' },
    ],
    run(context, args, options) {
      return withExitCodes(context, () => run(context, args, options, commandOptions));
    },
  };
}

/** The `makemigrations` command. */
export const makemigrationsCommand: ManagementCommand = createMakeMigrationsCommand();

async function run(context: CommandContext, appLabels: string[], options: Record<string, unknown>, commandOptions: MakeMigrationsCommandOptions): Promise<number> {
  const project = context.project;
  if (!project) throw new MigrationUsageError('makemigrations needs a project: run it inside an Atrium project folder.');
  const apps = project.context.apps.all();
  const level = verbosity(options);
  const out = (line: string): void => {
    if (level > 0) context.stdout.write(`${line}\n`);
  };
  const check = options['check'] === true;
  const dryRun = options['dryRun'] === true || check;
  const input = commandOptions.input ?? process.stdin;
  const interactive = options['noinput'] !== true && (commandOptions.interactive === true || input.isTTY === true);
  const common = { apps, dryRun, ...(commandOptions.importFrom !== undefined ? { importFrom: commandOptions.importFrom } : {}) };

  if (options['merge'] === true) {
    const merges = await mergeMigrations({ ...common, appLabels, dryRun: true });
    if (merges.length === 0) {
      out('No conflicts detected to merge.');
      return 0;
    }
    for (const merge of merges) {
      out(`Merging ${merge.migration.appLabel}`);
      for (const branch of merge.branches) {
        out(`  Branch ${branch.leaf}`);
        for (const line of branch.operations) out(`    - ${line}`);
      }
    }
    if (interactive && !dryRun && !(await askYes(input, context.stdout, 'Merge these migration branches?'))) {
      out('Nothing merged.');
      return 0;
    }
    if (!dryRun) await mergeMigrations({ ...common, appLabels });
    for (const merge of merges) out(`Created new merge migration ${relative(context.cwd, merge.path)}`);
    return 0;
  }

  const questioner: Questioner & { close?: () => void } = interactive
    ? new InteractiveQuestioner({ input, output: context.stdout })
    : new NonInteractiveQuestioner({
        renames: stringList(options['rename']),
        typedDefaults: parseDefaults(stringList(options['default'])),
        warn: (message) => context.stderr.write(`Warning: ${message}\n`),
      });
  let made: MadeMigration[];
  try {
    made = await makeMigrations({
      ...common,
      appLabels,
      questioner,
      ...(typeof options['name'] === 'string' ? { name: options['name'] } : {}),
      ...(options['empty'] === true ? { empty: true } : {}),
    });
  } finally {
    questioner.close?.();
  }

  if (made.length === 0) {
    const where = appLabels.length === 0 ? '' : appLabels.length === 1 ? ` in app '${appLabels[0]}'` : ` in apps ${appLabels.map((a) => `'${a}'`).join(', ')}`;
    out(`No changes detected${where}`);
    return 0;
  }
  for (const app of [...new Set(made.map((m) => m.migration.appLabel))]) {
    out(`Migrations for '${app}':`);
    for (const m of made.filter((candidate) => candidate.migration.appLabel === app)) {
      out(`  ${relative(context.cwd, m.path)}`);
      m.migration.operations.forEach((operation, i) => {
        out(`    - ${operation.describe()}`);
        for (const danger of m.dangers[i] ?? []) {
          out(`      ${danger.dataLoss ? 'DATA LOSS' : 'WARNING (PostgreSQL)'}: ${danger.message}`);
          out(`        Safer: ${danger.alternative}`);
        }
      });
      if (dryRun && level === 2) out(`\n${m.source}`);
    }
  }
  if (check) {
    context.stderr.write(`Models have changes without migrations (${made.length} to write); run 'manage makemigrations' and commit the files.\n`);
    return 1;
  }
  return 0;
}

function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' ? [value] : [];
}

/** `--default blog.Post.slug=<JSON>` as key -> text (parsed per field when the question comes). */
function parseDefaults(entries: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const key = eq > 0 ? entry.slice(0, eq) : '';
    if (key.split('.').length !== 3) throw new MigrationUsageError(`--default '${entry}' must be app.Model.field=<JSON value>, e.g. --default 'blog.Post.slug=""'.`);
    out[key] = entry.slice(eq + 1);
  }
  return out;
}

/** The command `manage` finds in this app's commands/ folder (the file name is the command name). */
export default makemigrationsCommand;
