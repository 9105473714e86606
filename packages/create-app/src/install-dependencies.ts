import { spawn } from 'node:child_process';
import { InstallFailed } from './errors.js';

export interface InstallOptions {
  projectDir: string;
  /** Only 'npm' for now: the lockfile and `file:` links are npm's. */
  packageManager: 'npm';
  /** Extra arguments for the install command (tests pass --offline). */
  extraArgs?: readonly string[];
  /** Where the installer's output goes (default: inherited, so the user sees progress). */
  stdio?: 'inherit' | 'ignore';
}

/**
 * Run `npm install` in the new project. A failure throws InstallFailed with
 * the command to re-run; the project files stay, since they are fine.
 * @example await installDependencies({ projectDir, packageManager: 'npm' });
 */
export function installDependencies(options: InstallOptions): Promise<void> {
  const args = ['install', ...(options.extraArgs ?? [])];
  // npm is npm.cmd on Windows, which spawn only finds through a shell.
  const command = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.projectDir, stdio: options.stdio ?? 'inherit', shell: process.platform === 'win32' });
    const fail = (reason: string): void =>
      reject(new InstallFailed(`${options.packageManager} ${args.join(' ')} failed in ${options.projectDir} (${reason}); fix the cause above, then run it there again.`));
    child.on('error', (error) => fail(error.message));
    child.on('exit', (code, signal) => (code === 0 ? resolve() : fail(signal ? `signal ${signal}` : `exit code ${code}`)));
  });
}
