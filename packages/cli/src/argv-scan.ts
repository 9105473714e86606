/** What `manage` needs to know about argv before commander parses it. */
export interface ArgvScan {
  /** The first operand: the command name (`help` included), if any. */
  command?: string;
  /** For `manage help <command>`, the command asked about. */
  helpTarget?: string;
  /** The value of the global `--settings` option. */
  settings?: string;
  /** `--traceback`: print stacks for every error. */
  traceback: boolean;
  /** `-V`/`--version` came before any command. */
  version: boolean;
}

/**
 * Find the command name and the global options in argv (without node and the
 * script), so `manage` can decide whether to load the project before parsing:
 * app-contributed commands only exist once the project is loaded, and
 * built-in commands should not pay for loading it.
 * @example scanArgv(['--settings', 'conf/settings.ts', 'check', '--deploy']) // { command: 'check', settings: 'conf/settings.ts', ... }
 */
export function scanArgv(args: readonly string[]): ArgvScan {
  const scan: ArgvScan = { traceback: false, version: false };
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    if (arg === '--settings') {
      const value = args[i + 1];
      if (value !== undefined) scan.settings = value;
      i++;
    } else if (arg.startsWith('--settings=')) scan.settings = arg.slice('--settings='.length);
    else if (arg === '--traceback') scan.traceback = true;
    else if ((arg === '-V' || arg === '--version') && operands.length === 0) scan.version = true;
    else if (!arg.startsWith('-')) operands.push(arg);
  }
  if (operands[0] !== undefined) scan.command = operands[0];
  if (operands[0] === 'help' && operands[1] !== undefined) scan.helpTarget = operands[1];
  return scan;
}
