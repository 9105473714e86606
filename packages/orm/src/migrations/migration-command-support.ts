import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import { ImproperlyConfigured, type CommandContext } from '@atrium/core';
import type { Dialect } from '../fields/field.js';
import { MigrationLoader, type LoadOptions } from '../migrations/loader.js';

/**
 * What the migration commands share: the project's apps and database, the
 * migrations, exit codes, and the terminal question for data loss.
 */

/** The database alias of `--database` (default 'default'), checked against DATABASES. */
export function databaseAlias(context: CommandContext, options: Record<string, unknown>): string {
  const alias = typeof options['database'] === 'string' ? options['database'] : 'default';
  const databases = requireProject(context).context.settings.DATABASES;
  if (!(alias in databases)) {
    throw new ImproperlyConfigured(`--database '${alias}' is not in DATABASES (configured: ${Object.keys(databases).join(', ')}).`);
  }
  return alias;
}

/** The dialect of a DATABASES entry, known without connecting. */
export function databaseDialect(context: CommandContext, alias: string): Dialect {
  return requireProject(context).context.settings.DATABASES[alias]!.ENGINE;
}

/** Load the migrations of every installed app. */
export function loadProjectMigrations(context: CommandContext, options: LoadOptions = {}): Promise<MigrationLoader> {
  return MigrationLoader.load(requireProject(context).context.apps.all(), options);
}

function requireProject(context: CommandContext): NonNullable<CommandContext['project']> {
  if (!context.project) throw new ImproperlyConfigured('This command needs a project: run it inside an Atrium project folder.');
  return context.project;
}

/**
 * Run a command body; an Atrium error that carries an `exitCode` (a refused
 * data loss: 3, a bad target: 2) is printed as one line and its code
 * returned, since the CLI would otherwise exit with 1 for every error.
 */
export async function withExitCodes(context: CommandContext, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    const code = (error as { exitCode?: unknown }).exitCode;
    if (typeof code === 'number' && error instanceof Error && typeof (error as { code?: unknown }).code === 'string') {
      context.stderr.write(`Error: ${error.message}\n`);
      return code;
    }
    throw error;
  }
}

/**
 * Ask on a terminal; only a typed `yes` agrees. Without a terminal there is
 * nobody to ask: the answer is no (the caller says to pass --allow-data-loss).
 */
export async function askYes(input: Readable & { isTTY?: boolean }, output: Writable, question: string): Promise<boolean> {
  if (!input.isTTY) return false;
  const rl = createInterface({ input, output });
  try {
    const answer = await rl.question(`${question}\nType 'yes' to continue, or 'no' to cancel: `);
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}

/** `-v` / `-q` as a level: 0 quiet, 1 normal, 2 verbose. */
export function verbosity(options: Record<string, unknown>): 0 | 1 | 2 {
  if (options['quiet'] === true) return 0;
  return options['verbose'] === true ? 2 : 1;
}
