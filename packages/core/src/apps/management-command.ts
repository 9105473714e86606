import type { Writable } from 'node:stream';
import type { Project } from '../app/project.js';

export interface CommandArgument {
  name: string;
  description?: string;
  required?: boolean;
  variadic?: boolean;
}

export interface CommandOption {
  /** commander-style flags, e.g. '--database <alias>' or '--dry-run'. */
  flags: string;
  description: string;
  default?: string | boolean | number;
}

export interface CommandContext {
  /** The loaded project; null for commands with `requiresProject: false`. */
  project: Project | null;
  cwd: string;
  stdout: Writable;
  stderr: Writable;
}

/**
 * A `manage` sub-command. An app contributes one as the default export of a
 * file in its `commands/` folder named after the command
 * (`commands/migrate.ts`), so the CLI never imports the packages that own
 * them, and `manage --help` lists them without importing them at all.
 */
export interface ManagementCommand {
  name: string;
  description: string;
  arguments?: readonly CommandArgument[];
  options?: readonly CommandOption[];
  /** Load settings, apps and routes first (default true). */
  requiresProject?: boolean;
  /** Return an exit code (default 0); throw an AtriumError for a clean one-line failure. */
  run(context: CommandContext, args: string[], options: Record<string, unknown>): Promise<number | void> | number | void;
}
