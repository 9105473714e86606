import type { AppContext } from '../app/context.js';

/** What the application closes; kept apart from the handler so the core entry point never loads cache clients. */
export interface ClosableCaches {
  close(): Promise<void>;
}

/** Each running project's caches, made on first use by `caches(app)`. */
export const appCaches = new WeakMap<AppContext, ClosableCaches>();

/** Close the project's caches if any were opened (the application's close() calls this). */
export async function closeCaches(app: AppContext): Promise<void> {
  const handler = appCaches.get(app);
  if (!handler) return;
  appCaches.delete(app);
  await handler.close();
}
