import { relative, sep } from 'node:path';
import { serve, type RunningServer } from '@atrium/core';
import type { CliRuntime } from '../cli-runtime.js';
import { formatCheckReport, hasErrors } from '../checks/format-check-report.js';
import { runChecks } from '../checks/run-checks.js';
import { CommandError } from '../errors.js';
import { listenError } from './listen-error.js';
import { cliVersion } from '../version.js';
import { urlHost, type AddrPort } from './addrport.js';
import type { ChildMessage } from './child-messages.js';

// A developer pressing Ctrl-C should not wait for a slow request; production uses `manage serve`.
const DEV_SHUTDOWN_TIMEOUT_MS = 1_000;

/**
 * Serve the project in this process until SIGINT/SIGTERM (or, when started by
 * the reloader, until the parent goes away), then close gracefully and exit 0.
 * Runs the system checks first and refuses to start on errors, as Django does.
 */
export async function runDevServer(runtime: CliRuntime, target: AddrPort): Promise<void> {
  // The reloader's IPC channel must not keep a child alive that failed to start.
  process.channel?.unref();
  // Even on a first start (no INSTALLED_APPS cache yet) the framework then loads without the TypeScript loader's hooks.
  await runtime.prepareInstalledApps();
  const project = await runtime.loadProject();
  const checks = await runChecks(project.context, { deploy: false });
  if (checks.messages.length > 0) runtime.stderr.write(formatCheckReport(checks));
  if (hasErrors(checks)) throw new CommandError('E_CHECKS_FAILED', 'The system checks found errors (listed above); fix them before starting the server.');

  let server: RunningServer;
  try {
    server = await serve(project, { host: target.host, port: target.port });
  } catch (error) {
    await tellParent({ type: 'fatal' });
    throw listenError(error, target, (port) => `manage runserver ${port}`);
  }
  const settingsPath = relative(runtime.cwd, project.settingsPath);
  const shownSettings = settingsPath.startsWith(`..${sep}`) || settingsPath === '..' ? project.settingsPath : settingsPath;
  runtime.print(`Atrium ${cliVersion()} — serving ${shownSettings} at http://${urlHost(target.host)}:${server.port}/ (Ctrl-C to quit)`);
  await tellParent({ type: 'listening', url: server.url });

  await new Promise<never>(() => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      // Exit explicitly: a timer an app forgot to clear must not keep the dev server alive.
      server.close(DEV_SHUTDOWN_TIMEOUT_MS).then(
        () => process.exit(0),
        (error: unknown) => {
          runtime.printError(`Error while shutting down: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // Started by the reloader: its IPC channel closes when it dies, even by SIGKILL.
    if (process.channel) process.once('disconnect', stop);
  });
}

/** Send a message to the reloading parent, if there is one; resolves once it is written. */
function tellParent(message: ChildMessage): Promise<void> {
  const send = process.send?.bind(process);
  if (!send || !process.connected) return Promise.resolve();
  // A parent that died meanwhile is handled by the 'disconnect' listener, so a send error is ignored.
  return new Promise((resolve) => send(message, undefined, undefined, () => resolve()));
}
