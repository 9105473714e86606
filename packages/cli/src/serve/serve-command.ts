import cluster from 'node:cluster';
import type { CliRuntime } from '../cli-runtime.js';
import { CommandError } from '../errors.js';
import { formatCheckReport, hasErrors } from '../checks/format-check-report.js';
import { runChecks } from '../checks/run-checks.js';
import { parseServeOptions, type RawServeOptions, type ServeConfig } from './serve-config.js';
import { refuseUnsafeSettings } from './production-refusals.js';
import { SERVE_CONFIG_ENV, ServePrimary } from './serve-primary.js';
import { runServeWorker } from './serve-worker.js';
import { prepareSocketPath } from './unix-socket-path.js';

/** What `manage serve` does: in a cluster worker, serve; in the primary, check the project once, then supervise the workers. */
export async function runServe(runtime: CliRuntime, options: RawServeOptions): Promise<void> {
  if (cluster.isWorker) return runServeWorker(runtime, JSON.parse(runtime.env[SERVE_CONFIG_ENV] ?? process.env[SERVE_CONFIG_ENV] ?? '{}') as ServeConfig);
  const config = parseServeOptions(options, runtime.cwd);
  await checkProject(runtime, config);
  if (config.socket !== null) await prepareSocketPath(config.socket);
  process.exitCode = await new ServePrimary(runtime, config).run();
}

/** Load the project once in the primary, so bad settings fail once, not in every worker; then let it go. */
async function checkProject(runtime: CliRuntime, config: ServeConfig): Promise<void> {
  // The primary keeps the modules it loaded for as long as it supervises: on a first start after a deploy
  // (stale cache) they would otherwise have gone through tsx's hooks, leaving it about 35 MB larger (issue #10).
  await runtime.prepareInstalledApps();
  const project = await runtime.loadProject();
  refuseUnsafeSettings(project.context.settings, { insecureDebug: config.insecureDebug });
  const checks = await runChecks(project.context, { deploy: false });
  if (checks.messages.length > 0) runtime.stderr.write(formatCheckReport(checks));
  if (hasErrors(checks)) throw new CommandError('E_CHECKS_FAILED', 'The system checks found errors (listed above); fix them before starting the server.');
  await runtime.closeProject();
}
