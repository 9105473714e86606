import { ImproperlyConfigured, type AppContext } from '@atrium/core';
import { authSettings, type AuthSettings } from '../settings.js';
import type { SessionStore } from './session-store.js';
import { DatabaseSessionStore } from './stores/database-session-store.js';
import { MemorySessionStore } from './stores/memory-session-store.js';
import { RedisSessionStore } from './stores/redis-session-store.js';
import { SignedCookieSessionStore } from './stores/signed-cookie-session-store.js';

/** Builds the store SESSION_ENGINE names; register more with `registerSessionEngine` (the database one does). */
export type SessionEngineFactory = (app: AppContext, settings: AuthSettings) => SessionStore;

const engines = new Map<string, SessionEngineFactory>([
  ['signed_cookies', (app, s) => new SignedCookieSessionStore({ secretKey: app.settings.SECRET_KEY, fallbackKeys: app.settings.SECRET_KEY_FALLBACKS, maxAge: s.SESSION_COOKIE_AGE })],
  ['redis', (_app, s) => new RedisSessionStore({ url: s.SESSION_REDIS_URL, keyPrefix: s.SESSION_REDIS_KEY_PREFIX, timeout: s.SESSION_REDIS_TIMEOUT })],
  ['memory', () => new MemorySessionStore()],
  ['db', () => new DatabaseSessionStore()],
]);

/**
 * The engine SESSION_ENGINE names, or when unset the default: 'db' when the
 * orm app is installed (server-side sessions a logout or password change
 * can revoke), else 'signed_cookies' (no storage needed).
 * @example sessionEngineName(request.app) // 'db'
 */
export function sessionEngineName(app: AppContext): string {
  return authSettings(app).SESSION_ENGINE ?? (app.apps.has('orm') ? 'db' : 'signed_cookies');
}

/**
 * Make a session store available to SESSION_ENGINE under `name`.
 * @example registerSessionEngine('db', (app) => new DatabaseSessionStore(app));
 */
export function registerSessionEngine(name: string, factory: SessionEngineFactory): void {
  engines.set(name, factory);
}

const byApp = new WeakMap<AppContext, SessionStore>();
/** Stores opened by running projects, with their project, closed by the auth app's close hook. */
export const openSessionStores = new Map<SessionStore, AppContext>();

/**
 * The project's session store (SESSION_ENGINE), created once per application.
 * @example const store = sessionStore(request.app); await store.clearExpired();
 */
export function sessionStore(app: AppContext): SessionStore {
  let store = byApp.get(app);
  if (!store) {
    const settings = authSettings(app);
    const name = sessionEngineName(app);
    const factory = engines.get(name);
    if (!factory) {
      throw new ImproperlyConfigured(
        `SESSION_ENGINE is '${name}', which is not a known session engine; known: ${[...engines.keys()].join(', ')}. Fix the name, or install the app that registers it.`,
      );
    }
    store = factory(app, settings);
    byApp.set(app, store);
    openSessionStores.set(store, app);
  }
  return store;
}
