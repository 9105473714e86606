import { ImproperlyConfigured } from '../errors.js';
import type { AppContext } from '../app/context.js';
import type { CacheSettings } from '../settings/schema.js';
import { Cache } from './cache.js';
import { builtinCacheBackends } from './cache-backends.js';
import type { CacheStoreFactory } from './cache-store.js';
import type { CacheLog } from './outage-log.js';
import { appCaches } from './app-caches.js';

/** A CACHES entry as written (defaults optional), for CacheHandler used outside a project. */
export type CacheConfig = Pick<CacheSettings, 'BACKEND'> & Partial<CacheSettings>;

export interface CacheHandlerOptions {
  /** Backends besides the built-in ones, by BACKEND name. */
  backends?: Readonly<Record<string, CacheStoreFactory>>;
  /** Where warnings go (default process.stderr). */
  log?: CacheLog;
}

/**
 * The caches of a CACHES setting, each created on first use and kept.
 * In a project use `caches(app)`; scripts may build one directly.
 * @example
 * const handler = new CacheHandler({ default: { BACKEND: 'locmem' } });
 * await handler.default.set('greeting', 'hello', 60);
 */
export class CacheHandler {
  readonly #config: Readonly<Record<string, CacheConfig>>;
  readonly #backends: Readonly<Record<string, CacheStoreFactory>>;
  readonly #log: CacheLog | undefined;
  readonly #caches = new Map<string, Cache>();

  constructor(config: Readonly<Record<string, CacheConfig>>, options: CacheHandlerOptions = {}) {
    this.#config = config;
    this.#backends = { ...builtinCacheBackends, ...options.backends };
    this.#log = options.log;
    for (const [alias, entry] of Object.entries(config)) {
      if (!Object.hasOwn(this.#backends, entry.BACKEND)) {
        throw new ImproperlyConfigured(
          `CACHES['${alias}'].BACKEND is '${entry.BACKEND}', which is not a known cache backend; known: ${Object.keys(this.#backends).join(', ')}. Fix the name, or install the app that registers it ('database' comes with '@atrium/orm').`,
        );
      }
    }
  }

  /** The cache for `alias`; ImproperlyConfigured when CACHES has no such alias. */
  get(alias = 'default'): Cache {
    const existing = this.#caches.get(alias);
    if (existing) return existing;
    const entry = Object.hasOwn(this.#config, alias) ? this.#config[alias] : undefined;
    if (!entry) {
      throw new ImproperlyConfigured(`No cache '${alias}' in CACHES; configured: ${Object.keys(this.#config).join(', ') || '(none)'}. Add it to CACHES.`);
    }
    const store = this.#backends[entry.BACKEND]!({ alias, location: entry.LOCATION ?? '', options: entry.OPTIONS ?? {} });
    const cache = new Cache(store, {
      alias,
      timeout: entry.TIMEOUT === undefined ? 300 : entry.TIMEOUT,
      keyPrefix: entry.KEY_PREFIX ?? '',
      version: entry.VERSION ?? 1,
      strictKeys: store.name === 'memcached',
      ...(this.#log ? { log: this.#log } : {}),
    });
    this.#caches.set(alias, cache);
    return cache;
  }

  /** The 'default' alias. */
  get default(): Cache {
    return this.get('default');
  }

  aliases(): string[] {
    return Object.keys(this.#config);
  }

  /** Close every cache opened so far (connections to Redis, memcached). */
  async close(): Promise<void> {
    const open = [...this.#caches.values()];
    this.#caches.clear();
    await Promise.all(open.map((cache) => cache.close()));
  }
}


/**
 * The project's caches (CACHES), made once per application and closed with
 * it. Backends registered by installed apps (`extensions.cacheBackends`) are
 * available by name.
 * @example
 * const recent = await caches(request.app).default.getOrSet('recent', loadRecent, 60);
 * const sessions = caches(request.app).get('sessions');
 */
export function caches(app: AppContext): CacheHandler {
  let handler = appCaches.get(app) as CacheHandler | undefined;
  if (!handler) {
    const backends: Record<string, CacheStoreFactory> = {};
    for (const { value } of app.apps.extensions<Readonly<Record<string, CacheStoreFactory>>>('cacheBackends')) Object.assign(backends, value);
    handler = new CacheHandler(app.settings.CACHES, { backends });
    appCaches.set(app, handler);
  }
  return handler;
}
