import { Command } from 'commander';
import type { CliRuntime } from './cli-runtime.js';
import { registerCheck } from './commands/check.js';
import { registerCollectstatic } from './commands/collectstatic.js';
import { registerRoutes } from './commands/routes.js';
import { registerRunserver } from './commands/runserver.js';
import { registerServe } from './commands/serve.js';
import { registerStartapp } from './commands/startapp.js';
import { cliVersion } from './version.js';

/** Commands `manage` always has; apps cannot replace them. */
export const BUILTIN_COMMANDS: ReadonlySet<string> = new Set(['runserver', 'serve', 'check', 'routes', 'startapp', 'collectstatic', 'help']);

/**
 * The `manage` program with the built-in commands. Errors surface as thrown
 * CommanderErrors (exitOverride) so main() decides the exit code in one place.
 */
export function createProgram(runtime: CliRuntime): Command {
  const program = new Command('manage')
    .description('Manage an Atrium project: run the dev server, check settings, list routes, create apps')
    .version(cliVersion(), '-V, --version', 'print the Atrium CLI version')
    .option('--settings <module>', 'settings module path (default: $ATRIUM_SETTINGS_MODULE, else settings.ts in this folder or a parent)')
    .option('--traceback', 'print the stack trace of every error, not just the message')
    .helpOption('-h, --help', 'show help')
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (text) => runtime.stdout.write(text),
      writeErr: (text) => runtime.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  // Set before the commands are created, so each inherits the output and exit settings above.
  registerRunserver(program, runtime);
  registerServe(program, runtime);
  registerCheck(program, runtime);
  registerRoutes(program, runtime);
  registerStartapp(program, runtime);
  registerCollectstatic(program, runtime);
  return program;
}
