import { Option, type Command } from 'commander';
import type { CommandFile, ManagementCommand } from '@atrium/core/discovery';
import type { CliRuntime } from './cli-runtime.js';

/**
 * Add a command an installed app contributes (a file of its `commands/`
 * folder) to the program, mapping its arguments and options onto commander.
 * @example registerAppCommand(program, runtime, found, await importCommand(found));
 */
export function registerAppCommand(program: Command, runtime: CliRuntime, found: CommandFile, command: ManagementCommand): void {
  const cmd = program.command(command.name).description(`${command.description} [${found.app}]`);
  for (const argument of command.arguments ?? []) {
    const token = argument.variadic ? `${argument.name}...` : argument.name;
    cmd.argument(argument.required === false ? `[${token}]` : `<${token}>`, argument.description ?? '');
  }
  for (const option of command.options ?? []) {
    const entry = new Option(option.flags, option.description);
    if (option.default !== undefined) entry.default(option.default);
    cmd.addOption(entry);
  }
  cmd.action(async (...received: unknown[]) => {
    const self = received[received.length - 1] as Command;
    const args = (self.processedArgs as unknown[]).flatMap((value) => (value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]));
    const project = command.requiresProject === false ? null : await runtime.loadProject();
    const code = await command.run({ project, cwd: runtime.cwd, stdout: runtime.stdout, stderr: runtime.stderr }, args, self.opts());
    if (typeof code === 'number' && code !== 0) process.exitCode = code;
  });
}
