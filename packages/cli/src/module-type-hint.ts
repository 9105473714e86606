import { CommandError } from './errors.js';

/**
 * Add the fix to a project load error caused by CommonJS mode: without
 * `"type": "module"` in package.json, tsx compiles settings.ts to CommonJS
 * and Node then refuses to require() the ES modules it imports
 * (ERR_REQUIRE_CYCLE_MODULE, ERR_REQUIRE_ESM...). Other errors pass through.
 */
export function withModuleTypeHint(error: unknown): unknown {
  let current: unknown = error;
  while (current instanceof Error) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_REQUIRE_')) {
      const message = error instanceof Error ? error.message : String(error);
      return new CommandError(
        'E_PROJECT_NOT_ESM',
        `${message}\nAtrium projects are ES modules: add "type": "module" to the project's package.json (create one with {"type": "module"} if there is none).`,
        { cause: error },
      );
    }
    current = current.cause;
  }
  return error;
}
