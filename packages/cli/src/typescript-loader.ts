import { register } from 'tsx/esm/api';

let registered = false;

/**
 * Let `import()` load the project's TypeScript files (settings.ts, urls.ts,
 * apps' views.ts) with no build step, through tsx's ESM hooks. Idempotent.
 */
export function registerTypeScriptLoader(): void {
  if (registered) return;
  register();
  registered = true;
}
