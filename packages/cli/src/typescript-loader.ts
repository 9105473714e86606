let registered: Promise<void> | null = null;

/**
 * Let `import()` load the project's TypeScript files (settings.ts, urls.ts,
 * apps' views.ts) with no build step, through tsx's ESM hooks. Idempotent.
 * Imported on first need rather than at start-up: loading tsx costs about as
 * much as the rest of `manage --help` together.
 */
export function registerTypeScriptLoader(): Promise<void> {
  registered ??= import('tsx/esm/api').then(({ register }) => {
    register();
  });
  return registered;
}
