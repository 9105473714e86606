import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { findSettings } from '@atrium/core';
import { registerAppCommand } from './app-commands.js';
import { scanArgv, type ArgvScan } from './argv-scan.js';
import { CliRuntime } from './cli-runtime.js';
import { BUILTIN_COMMANDS, createProgram } from './program.js';
import { reportError } from './report-error.js';

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

/**
 * Commands contributed by installed apps exist only once the project is
 * loaded, so load it just when argv may name one: an unknown command
 * (required: its load error is the answer) or a help listing (best effort).
 */
async function addAppCommands(program: Command, runtime: CliRuntime, scan: ArgvScan): Promise<void> {
  const mode = discoveryMode(scan);
  if (mode === 'none') return;
  try {
    findSettings(runtime.cwd, runtime.settingsModule ?? runtime.env['ATRIUM_SETTINGS_MODULE']);
  } catch (error) {
    // Outside a project there are no app commands; commander then reports the unknown command.
    if (mode === 'required' && runtime.settingsModule !== undefined) throw error;
    return;
  }
  let project;
  try {
    project = await runtime.loadProject();
  } catch (error) {
    if (mode === 'required') throw error;
    runtime.printError('Note: commands from installed apps are not listed because the project failed to load; run `manage check` to see why.');
    return;
  }
  const taken = new Set<string>(BUILTIN_COMMANDS);
  for (const app of project.context.apps.all()) {
    for (const command of app.commands) {
      if (BUILTIN_COMMANDS.has(command.name)) {
        // Said when listing commands, not on every run of another command.
        if (mode === 'soft') runtime.printError(`Warning: app '${app.label}' contributes a command named '${command.name}', which is built in; the built-in one is used.`);
      } else if (!taken.has(command.name)) {
        // First app in INSTALLED_APPS wins, as in Django.
        taken.add(command.name);
        registerAppCommand(program, runtime, app, command);
      }
    }
  }
}

function discoveryMode(scan: ArgvScan): 'none' | 'soft' | 'required' {
  if (scan.command === undefined) return scan.version ? 'none' : 'soft';
  if (scan.command === 'help') return scan.helpTarget !== undefined && BUILTIN_COMMANDS.has(scan.helpTarget) ? 'none' : 'soft';
  return BUILTIN_COMMANDS.has(scan.command) ? 'none' : 'required';
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
