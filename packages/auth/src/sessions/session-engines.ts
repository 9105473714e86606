import { ImproperlyConfigured, type AppContext } from '@atrium/core';
import { authSettings, type AuthSettings } from '../settings.js';
import type { SessionStore } from './session-store.js';
import { MemorySessionStore } from './stores/memory-session-store.js';
import { RedisSessionStore } from './stores/redis-session-store.js';
import { SignedCookieSessionStore } from './stores/signed-cookie-session-store.js';

/** Builds the store SESSION_ENGINE names; register more with `registerSessionEngine` (the database one does). */
export type SessionEngineFactory = (app: AppContext, settings: AuthSettings) => SessionStore;

const engines = new Map<string, SessionEngineFactory>([
  ['signed_cookies', (app, s) => new SignedCookieSessionStore({ secretKey: app.settings.SECRET_KEY, fallbackKeys: app.settings.SECRET_KEY_FALLBACKS, maxAge: s.SESSION_COOKIE_AGE })],
  ['redis', (_app, s) => new RedisSessionStore({ url: s.SESSION_REDIS_URL, keyPrefix: s.SESSION_REDIS_KEY_PREFIX, timeout: s.SESSION_REDIS_TIMEOUT })],
  ['memory', () => new MemorySessionStore()],
]);

/**
 * Make a session store available to SESSION_ENGINE under `name`.
 * @example registerSessionEngine('db', (app) => new DatabaseSessionStore(app));
 */
export function registerSessionEngine(name: string, factory: SessionEngineFactory): void {
  engines.set(name, factory);
}

const byApp = new WeakMap<AppContext, SessionStore>();
/** Stores opened by running projects, closed by the auth app's close hook. */
export const openSessionStores = new Set<SessionStore>();

/**
 * The project's session store (SESSION_ENGINE), created once per application.
 * @example const store = sessionStore(request.app); await store.clearExpired();
 */
export function sessionStore(app: AppContext): SessionStore {
  let store = byApp.get(app);
  if (!store) {
    const settings = authSettings(app);
    const factory = engines.get(settings.SESSION_ENGINE);
    if (!factory) {
      throw new ImproperlyConfigured(
        `SESSION_ENGINE is '${settings.SESSION_ENGINE}', which is not a known session engine; known: ${[...engines.keys()].join(', ')}. Fix the name, or install the app that registers it.`,
      );
    }
    store = factory(app, settings);
    byApp.set(app, store);
    openSessionStores.add(store);
  }
  return store;
}
