import { Option, type Command } from 'commander';
import type { CliRuntime } from '../cli-runtime.js';
import type { CheckLevel } from '../checks/check-message.js';

const SEVERITY: Record<CheckLevel, number> = { info: 0, warning: 1, error: 2 };

/**
 * `manage check [--deploy] [--fail-level <level>]`: load the project (so the
 * settings are validated and the routes compiled), then run the system checks.
 */
export function registerCheck(program: Command, runtime: CliRuntime): void {
  program
    .command('check')
    .description('Validate the settings, load the apps and routes, and run the system checks')
    .option('--deploy', 'also run the production checks (DEBUG, HSTS, SSL redirect, SECRET_KEY strength)')
    .addOption(new Option('--fail-level <level>', 'exit 1 when an issue of this level or worse is found').choices(['error', 'warning', 'info']).default('error'))
    .addHelpText('after', '\nExamples:\n  manage check\n  manage check --deploy --fail-level warning')
    .action(async (options: { deploy?: boolean; failLevel: CheckLevel }) => {
      // Imported here, not at the top, so `manage --help` does not load the checks (and @atrium/core with them).
      const [{ runChecks }, { formatCheckReport }] = await Promise.all([import('../checks/run-checks.js'), import('../checks/format-check-report.js')]);
      const project = await runtime.loadProject();
      const result = await runChecks(project.context, { deploy: options.deploy === true });
      const failing = result.messages.some((m) => SEVERITY[m.level] >= SEVERITY[options.failLevel]);
      (failing ? runtime.stderr : runtime.stdout).write(formatCheckReport(result));
      if (failing) process.exitCode = 1;
    });
}
