import type { Writable } from 'node:stream';
import { createApp, ownVersion } from './create-app.js';
import { CreateAppError, InvalidProjectName } from './errors.js';
import { nextSteps } from './next-steps.js';
import { parseArguments, USAGE } from './parse-arguments.js';

export interface MainIo {
  cwd?: string;
  env?: Record<string, string | undefined>;
  stdout?: Writable;
  stderr?: Writable;
}

/**
 * The `create-app` command: returns the exit code (0 created, 1 install
 * failed, 2 bad usage or refused target) instead of exiting, so tests call it.
 * @example process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], io: MainIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const cwd = io.cwd ?? process.cwd();
  try {
    const args = parseArguments(argv);
    if (args.help) {
      stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (args.version) {
      stdout.write(`${ownVersion()}\n`);
      return 0;
    }
    if (args.name === undefined) throw new InvalidProjectName('Missing the project name: npx create-app NAME (for example npx create-app mysite).');
    const created = await createApp({
      name: args.name,
      cwd,
      db: args.db,
      databaseUrl: args.databaseUrl,
      install: args.install,
      atriumSource: args.atriumSource,
      env: io.env ?? process.env,
      onRendered: (rendered) => {
        stdout.write(`Created the Atrium project ${args.name}: ${rendered.files.length} files in ${rendered.projectDir}.\n`);
        if (args.install) stdout.write('Installing dependencies with npm install...\n');
      },
    });
    stdout.write('\n');
    stdout.write(`${nextSteps({ cwd, projectDir: created.projectDir, installed: created.installed }).join('\n')}\n`);
    return 0;
  } catch (error) {
    if (error instanceof CreateAppError) {
      stderr.write(`create-app: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
