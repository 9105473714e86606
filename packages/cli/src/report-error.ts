import type { Writable } from 'node:stream';
import { CommanderError } from 'commander';
import { AtriumError } from '@atrium/core/errors';

/**
 * Print an error the way `manage` promises and return the exit code: an
 * AtriumError (a bad setting, an invalid argument) is one `Error: <message>`
 * with no stack, because the message already names the problem and the fix;
 * anything else is a bug somewhere and gets its stack. `traceback` forces stacks.
 */
export function reportError(error: unknown, stderr: Writable, traceback = false): number {
  // commander has already printed its own message (unknown option, missing argument).
  if (error instanceof CommanderError) return error.exitCode;
  if (isAtriumError(error) && !traceback) {
    stderr.write(`Error: ${error.message}\n`);
    return 1;
  }
  stderr.write(`${describe(error)}\n`);
  return 1;
}

/**
 * True for Atrium's own errors. The `code` test covers an error class from a
 * second copy of @atrium/core (e.g. a project with its own node_modules).
 */
export function isAtriumError(error: unknown): error is AtriumError {
  if (error instanceof AtriumError) return true;
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^E_[A-Z0-9_]+$/.test(code);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return `Error: ${String(error)}`;
  let text = error.stack ?? `${error.name}: ${error.message}`;
  let cause = error.cause;
  while (cause instanceof Error) {
    text += `\nCaused by: ${cause.stack ?? cause.message}`;
    cause = cause.cause;
  }
  return text;
}
