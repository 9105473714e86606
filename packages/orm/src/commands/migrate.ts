import type { Readable } from 'node:stream';
import type { AppContext, CommandContext, ManagementCommand } from '@atrium/core';
import { MigrationExecutor, type MigrateOptions } from '../migrations/executor.js';
import { resolveTargets, type MigrationTarget, type PlanStep } from '../migrations/plan.js';
import { formatDanger, isSignificant, type PlannedDanger } from '../migrations/safety-linter.js';
import { askYes, databaseAlias, loadProjectMigrations, verbosity, withExitCodes } from '../migrations/migration-command-support.js';

export interface MigrateCommandOptions {
  /** Where the data-loss question is answered (default process.stdin; a TTY is needed to ask). */
  input?: Readable & { isTTY?: boolean };
}

/**
 * `manage migrate [APP] [TARGET|zero] [--fake] [--plan] [--allow-data-loss]
 * [--database alias] [--noinput] [-v|-q]`: apply (or unapply) migrations,
 * each in its own transaction, printing `Applying blog.0002_add_slug... OK
 * (12 ms)`. Exit codes: 0 done, 1 failed, 2 bad target, 3 data loss refused.
 * @example
 * // npx manage migrate blog 0001   (roll blog back to 0001_initial)
 */
export function createMigrateCommand(commandOptions: MigrateCommandOptions = {}): ManagementCommand {
  return {
    name: 'migrate',
    description: 'Apply migrations to the database (or roll an app back to TARGET, or to zero).',
    arguments: [
      { name: 'app', description: 'app label (all apps when left out)', required: false },
      { name: 'target', description: "migration name or unique prefix ('0002'), or 'zero' to unapply all", required: false },
    ],
    options: [
      { flags: '--database <alias>', description: 'database alias to migrate', default: 'default' },
      { flags: '--fake', description: 'record migrations as applied (or unapplied) without running them' },
      { flags: '--plan', description: 'show what would run, with its dangers, and change nothing' },
      { flags: '--allow-data-loss', description: 'run even when the plan drops tables or columns that hold data' },
      { flags: '--noinput', description: 'never ask; refuse data loss unless --allow-data-loss' },
      { flags: '--lock-timeout <seconds>', description: 'how long to wait for another migrate to finish', default: '120' },
      { flags: '-v, --verbose', description: 'also print each operation and every warning' },
      { flags: '-q, --quiet', description: 'print errors only' },
    ],
    run(context, args, options) {
      return withExitCodes(context, () => migrate(context, args, options, commandOptions));
    },
  };
}

/** The `migrate` command. */
export const migrateCommand: ManagementCommand = createMigrateCommand();

async function migrate(context: CommandContext, args: string[], options: Record<string, unknown>, commandOptions: MigrateCommandOptions): Promise<number> {
  const alias = databaseAlias(context, options);
  const level = verbosity(options);
  const out = (line: string): void => {
    if (level > 0) context.stdout.write(`${line}\n`);
  };
  const loader = await loadProjectMigrations(context);
  const targets = resolveTargets(loader.graph, args[0], args[1]);
  const executor = new MigrationExecutor(loader, alias);

  if (options['plan'] === true) {
    const { plan, dangers } = await executor.plan(targets);
    printPlan(context, plan, dangers);
    return 0;
  }

  const input = commandOptions.input ?? process.stdin;
  // A step that started but did not finish ends its line with FAILED (the error follows on stderr).
  let pending = false;
  const interactive = options['noinput'] !== true && input.isTTY === true;
  const seconds = Number(options['lockTimeout'] ?? 120);
  const migrateOptions: MigrateOptions = {
    fake: options['fake'] === true,
    allowDataLoss: options['allowDataLoss'] === true,
    lockTimeoutMs: Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 120_000,
    ...(interactive
      ? {
          confirmDataLoss: (lossy: readonly PlannedDanger[]) => {
            for (const danger of lossy) context.stderr.write(`  ${danger.migration}: ${formatDanger(danger)[0]}\n`);
            return askYes(input, context.stderr, 'These migrations destroy data that exists now. Back it up first.');
          },
        }
      : {}),
    progress: {
      waiting: (holder) => out(`Waiting for another migrate to finish (${holder})...`),
      planned: (plan, dangers) => {
        out('Operations to perform:');
        out(`  ${describeTargets(targets, args[0])}`);
        out('Running migrations:');
        if (plan.length === 0) out('  No migrations to apply.');
        for (const danger of dangers) {
          if (danger.dataLoss || !(level === 2 || isSignificant(danger))) continue;
          const [what, safer] = formatDanger(danger);
          context.stderr.write(`  ${danger.migration}: ${what}\n    ${safer}\n`);
        }
      },
      started: (step) => {
        if (level === 0) return;
        pending = true;
        context.stdout.write(`  ${step.backwards ? 'Unapplying' : 'Applying'} ${step.migration.appLabel}.${step.migration.name}...`);
      },
      finished: (step, ms) => {
        if (level === 0) return;
        pending = false;
        context.stdout.write(`${options['fake'] === true ? ' FAKED' : ' OK'} (${Math.round(ms)} ms)\n`);
        if (level === 2) for (const operation of step.migration.operations) out(`    ${operation.describe()}`);
      },
    },
  };
  try {
    await executor.migrate(targets, migrateOptions);
  } catch (error) {
    if (pending) context.stdout.write(' FAILED\n');
    throw error;
  }
  await runPostMigrate(context, alias, out);
  return 0;
}

type PostMigrateHook = (app: AppContext, options: { using?: string }) => Promise<unknown> | unknown;

/**
 * Run every installed app's `postMigrate` extension (auth creates the
 * view/add/change/delete permissions of each model there), as Django's
 * post_migrate signal does.
 */
async function runPostMigrate(context: CommandContext, alias: string, out: (line: string) => void): Promise<void> {
  const app = context.project?.context;
  if (!app) return;
  for (const { app: owner, value } of app.apps.extensions<PostMigrateHook>('postMigrate')) {
    if (typeof value !== 'function') continue;
    const result = await value(app, { using: alias });
    if (typeof result === 'number' && result > 0) out(`  ${owner.label}: post-migrate created ${result} object(s)`);
  }
}

function describeTargets(targets: readonly MigrationTarget[], app: string | undefined): string {
  if (app === undefined) return `Apply all migrations: ${[...new Set(targets.map((t) => t.appLabel))].join(', ') || '(none)'}`;
  const target = targets[0];
  if (target && target.name === null) return `Unapply all migrations: ${app}`;
  return `Target specific migration: ${target?.name ?? '?'}, from ${app}`;
}

function printPlan(context: CommandContext, plan: readonly PlanStep[], dangers: readonly PlannedDanger[]): void {
  const write = (line: string): void => void context.stdout.write(`${line}\n`);
  write('Planned operations:');
  if (plan.length === 0) write('  No planned migration operations.');
  for (const step of plan) {
    const key = `${step.migration.appLabel}.${step.migration.name}`;
    write(`${step.backwards ? 'Undo ' : ''}${key}`);
    const operations = step.backwards ? [...step.migration.operations].reverse() : step.migration.operations;
    for (const operation of operations) write(`    ${step.backwards ? 'Undo ' : ''}${operation.describe()}`);
    for (const danger of dangers.filter((d) => d.migration === key)) {
      const [what, safer] = formatDanger(danger);
      write(`    ${what}`);
      write(`      ${safer}`);
    }
  }
}

/** The command `manage` finds in this app's commands/ folder (the file name is the command name). */
export default migrateCommand;
