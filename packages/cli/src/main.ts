import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { findCommandFiles, importCommand, locateApp, type CommandFile } from '@atrium/core/discovery';
import { registerAppCommand } from './app-commands.js';
import { scanArgv, type ArgvScan } from './argv-scan.js';
import { CliRuntime } from './cli-runtime.js';
import { formatAppCommands } from './discovery/format-app-commands.js';
import { BUILTIN_COMMANDS, createProgram } from './program.js';
import { reportError } from './report-error.js';
import { registerTypeScriptLoader } from './typescript-loader.js';

export interface MainOptions {
  cwd?: string;
  stdout?: Writable;
  stderr?: Writable;
  env?: Record<string, string | undefined>;
}

/**
 * The `manage` binary: parse `argv` (as process.argv: node, script, ...args),
 * run the command and set process.exitCode. Atrium errors print one
 * `Error: <message>` line; other errors print their stack. The project (and
 * with it the tsx loader for its TypeScript files) is loaded only by commands
 * that need it, so `--help`, `--version` and `startapp` are fast and work
 * outside a project.
 * @example await main(['node', 'manage', 'check', '--deploy']);
 */
export async function main(argv: string[], options: MainOptions = {}): Promise<void> {
  const scan = scanArgv(argv.slice(2));
  const runtime = new CliRuntime({
    cwd: options.cwd ?? process.cwd(),
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
    env: options.env ?? process.env,
    settingsModule: scan.settings,
    traceback: scan.traceback,
  });
  ignoreClosedPipes(runtime.stdout, runtime.stderr);
  const program = createProgram(runtime);
  try {
    await addAppCommands(program, runtime, scan);
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = reportError(error, runtime.stderr, runtime.traceback);
  }
  try {
    await runtime.closeProject();
  } catch (error) {
    process.exitCode = reportError(error, runtime.stderr, runtime.traceback);
  }
}

type AppCommandWanted = { kind: 'none' } | { kind: 'list' } | { kind: 'run'; name: string };

/**
 * Add what argv needs of the commands installed apps contribute: their names
 * for a help listing (best effort), or the one command argv names, imported
 * alone. A listing does not load the project when the INSTALLED_APPS cache
 * is current.
 */
async function addAppCommands(program: Command, runtime: CliRuntime, scan: ArgvScan): Promise<void> {
  const wanted = appCommandWanted(scan);
  if (wanted.kind === 'none') return;
  const required = wanted.kind === 'run';
  let settingsPath: string;
  try {
    settingsPath = runtime.settingsPath();
  } catch (error) {
    // Outside a project there are no app commands; commander then reports the unknown command.
    if (required && runtime.settingsModule !== undefined) throw error;
    return;
  }
  let commands: Map<string, CommandFile>;
  let clashes: CommandFile[];
  try {
    // Running a command (or showing its full help) loads the project anyway, so only a listing reads the
    // cache; without a current one it loads the project too (which writes the cache).
    const cached = required ? null : runtime.cachedInstalledApps();
    const entries = cached ?? (await runtime.loadProject()).context.settings.INSTALLED_APPS;
    ({ commands, clashes } = appCommands(entries, dirname(settingsPath)));
  } catch (error) {
    if (required) throw error;
    runtime.printError('Note: commands from installed apps are not listed because the project failed to load; run `manage check` to see why.');
    return;
  }
  if (wanted.kind === 'list') {
    // Said when listing commands, not on every run of another command.
    for (const clash of clashes) runtime.printError(`Warning: app '${clash.app}' contributes a command named '${clash.name}', which is built in; the built-in one is used.`);
    program.addHelpText('after', formatAppCommands([...commands.values()]));
    return;
  }
  const found = commands.get(wanted.name);
  if (found === undefined) return; // commander reports the unknown command
  if (/\.m?ts$/.test(found.file)) await registerTypeScriptLoader();
  registerAppCommand(program, runtime, found, await importCommand(found));
}

/** The command files of the installed apps by name (the first app in INSTALLED_APPS wins, as in Django), and those named like a built-in. */
function appCommands(entries: readonly string[], root: string): { commands: Map<string, CommandFile>; clashes: CommandFile[] } {
  const commands = new Map<string, CommandFile>();
  const clashes: CommandFile[] = [];
  for (const entry of entries) {
    for (const found of findCommandFiles(locateApp(entry, root))) {
      if (BUILTIN_COMMANDS.has(found.name)) clashes.push(found);
      else if (!commands.has(found.name)) commands.set(found.name, found);
    }
  }
  return { commands, clashes };
}

function appCommandWanted(scan: ArgvScan): AppCommandWanted {
  if (scan.command === undefined) return scan.version ? { kind: 'none' } : { kind: 'list' };
  if (scan.command === 'help') {
    if (scan.helpTarget === undefined) return { kind: 'list' };
    return BUILTIN_COMMANDS.has(scan.helpTarget) ? { kind: 'none' } : { kind: 'run', name: scan.helpTarget };
  }
  return BUILTIN_COMMANDS.has(scan.command) ? { kind: 'none' } : { kind: 'run', name: scan.command };
}

/** `manage routes | head` closes the pipe early; that is the reader's choice, not an error to report. */
function ignoreClosedPipes(...streams: Writable[]): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? 0);
    });
  }
}
