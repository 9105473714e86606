import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImproperlyConfigured, defineApp, type AppContext } from '@atrium/core';
import { hasModel } from '@atrium/orm';
import { importAppModels } from './apps/import-app-models.js';
import { authenticationBackends, setDefaultAuthenticationBackends } from './backends/backend-registry.js';
import { csrfMiddleware } from './csrf/csrf-middleware.js';
import { authContextProcessor } from './login/auth-context-processor.js';
import { authMiddleware } from './login/auth-middleware.js';
import { messageMiddleware } from './messages/message-middleware.js';
import { passwordHashers, setDefaultPasswordHashers } from './passwords/passwords.js';
import { passwordValidators } from './passwords/validators/validate-password.js';
import { syncPermissions } from './permissions/create-permissions.js';
import { openSessionStores } from './sessions/session-engines.js';
import { sessionMiddleware } from './sessions/session-middleware.js';
import { authSettings } from './settings.js';
import { openThrottleStores } from './throttle/login-throttle.js';
import { getUserModel, setUserModel } from './users/user-model.js';
import './models.js';
import './request-state.js';

/** The package folder (holding templates/ and data/), from src/ or dist/. */
const packageRoot = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * Close the Redis connections the auth app opened for `app`, so the process
 * can exit; without a project (core's close hook passes none yet), every one.
 */
export async function closeAuthStores(app?: AppContext): Promise<void> {
  const closing: Array<Promise<void> | undefined> = [];
  for (const registry of [openSessionStores, openThrottleStores] as Array<Map<{ close?(): Promise<void> }, AppContext>>) {
    for (const [store, owner] of registry) {
      if (app !== undefined && owner !== app) continue;
      registry.delete(store);
      closing.push(store.close?.());
    }
  }
  await Promise.all(closing);
}

/**
 * The post-migrate step `manage migrate` runs through this app's
 * `postMigrate` extension: create the view/add/change/delete permissions of
 * every installed model. Returns how many were created.
 */
export function postMigrate(app: AppContext, options: { using?: string } = {}): Promise<number> {
  return syncPermissions(app, options);
}

/**
 * Use AUTH_USER_MODEL: import the models of the app it names (when not yet
 * declared), check it is a user model, and point getUserModel() at it.
 */
async function configureUserModel(app: AppContext, label: string): Promise<void> {
  const appLabel = label.slice(0, label.indexOf('.'));
  if (!app.apps.has(appLabel)) {
    throw new ImproperlyConfigured(`AUTH_USER_MODEL is '${label}', but no installed app has the label '${appLabel}'; add that app to INSTALLED_APPS.`);
  }
  if (!hasModel(label)) await importAppModels([app.apps.get(appLabel)]);
  setUserModel(label);
  getUserModel();
}

/**
 * The auth app: add '@atrium/auth' to INSTALLED_APPS (after '@atrium/orm'
 * for the database models and session engine), then name its middleware in
 * MIDDLEWARE: 'sessions', 'csrf', 'auth', 'messages'.
 * @example export default defineSettings({ INSTALLED_APPS: ['@atrium/orm', '@atrium/auth'], MIDDLEWARE: ['security', 'sessions', 'common', 'csrf', 'auth', 'messages'] });
 */
export default defineApp({
  label: 'auth',
  verboseName: 'Authentication and authorization',
  path: packageRoot,
  middleware: { sessions: sessionMiddleware, csrf: csrfMiddleware, auth: authMiddleware, messages: messageMiddleware },
  extensions: { close: closeAuthStores, postMigrate, contextProcessors: { auth: authContextProcessor } },
  async ready(app: AppContext) {
    // Validate every auth setting now, so a typo stops start-up naming the key.
    const settings = authSettings(app);
    passwordValidators(app);
    setDefaultPasswordHashers(passwordHashers(app));
    await configureUserModel(app, settings.AUTH_USER_MODEL);
    setDefaultAuthenticationBackends(authenticationBackends(app));
  },
});
