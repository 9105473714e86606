import { TURN_BUDGET_MS } from '../server/turn-budget.js';
import { z } from 'zod';
import type { MiddlewareFactory } from '../middleware/types.js';
import { proxyEntryProblem } from '../http/trusted-proxies.js';

const MiB = 1024 * 1024;

const databaseSchema = z.object({
  ENGINE: z.enum(['sqlite', 'postgres']),
  /** SQLite: file path relative to the project (or ':memory:'); PostgreSQL: database name. */
  NAME: z.string().min(1),
  USER: z.string().optional(),
  PASSWORD: z.string().optional(),
  HOST: z.string().optional(),
  PORT: z.coerce.number().int().positive().optional(),
  /** Driver options passed through (pool size, timeouts, ...). */
  OPTIONS: z.record(z.string(), z.unknown()).default({}),
});

const cacheSchema = z.object({
  /** 'locmem', 'redis', 'memcached', 'dummy', or a backend an app registers ('database' from @atrium/orm). */
  BACKEND: z.string().min(1),
  /** locmem: a name shared in the process; redis: a URL; memcached: 'host:port' list; database: the table. */
  LOCATION: z.union([z.string(), z.array(z.string())]).default(''),
  /** Default seconds per entry; null = until evicted; 0 = do not cache. */
  TIMEOUT: z.number().nonnegative().nullable().default(300),
  KEY_PREFIX: z.string().regex(/^[^\s:]*$/, 'must not contain spaces or colons').default(''),
  VERSION: z.number().int().default(1),
  /** Backend options: MAX_ENTRIES and MAX_BYTES (locmem, database), TIMEOUT_MS (redis, memcached), DATABASE (database). */
  OPTIONS: z.record(z.string(), z.unknown()).default({}),
});

const templatesSchema = z.object({
  /** Module that provides the template backend; `@atrium/templates` is Nunjucks. */
  BACKEND: z.string().default('@atrium/templates'),
  /** Project template folders, searched before the apps' `templates/` folders. */
  DIRS: z.array(z.string()).default(['templates']),
  APP_DIRS: z.boolean().default(true),
  OPTIONS: z
    .object({
      /** Built-in names ('request', 'settings', 'messages', 'csrf') or names apps contribute in `extensions.contextProcessors`. */
      contextProcessors: z.array(z.string()).default(['request', 'settings']),
    })
    .catchall(z.unknown())
    .default({ contextProcessors: ['request', 'settings'] }),
});

const serverSchema = z.object({
  /** ms to receive the complete headers before 408. */
  headersTimeout: z.number().int().positive().default(60_000),
  /** ms to receive the complete request; never 0 (slowloris). */
  requestTimeout: z.number().int().positive().default(120_000),
  keepAliveTimeout: z.number().int().nonnegative().default(5_000),
  /** Bytes of request line + headers before 431. */
  maxHeaderSize: z.number().int().positive().default(16 * 1024),
  /** ms that graceful shutdown waits for in-flight requests. */
  shutdownTimeout: z.number().int().positive().default(10_000),
  /** Liveness probe path answered 200 ahead of the application (null: none). */
  healthPath: z.string().startsWith('/').nullable().default('/healthz'),
  /** Readiness probe path: 200 when every app's readiness check passes (the database answers), else 503 (null: none). */
  readyPath: z.string().startsWith('/').nullable().default('/readyz'),
  /** ms of request handling per turn of the event loop before it polls again (see TurnBudget); 0: every request read starts at once. */
  turnBudget: z.number().nonnegative().default(TURN_BUDGET_MS),
});

const middlewareEntry = z.union([
  z.string().min(1),
  z.custom<MiddlewareFactory>((v) => typeof v === 'function', 'a middleware name or a factory function'),
]);

/**
 * Every setting Atrium itself reads. Apps may add their own keys; unknown keys
 * are kept (`catchall`) so third-party apps can read them.
 */
export const settingsSchema = z
  .object({
    /** Signs cookies, sessions and tokens. Long, random, secret; at least 32 characters. */
    SECRET_KEY: z.string().min(32, 'must be at least 32 characters; generate one with `node -e "console.log(require(\'crypto\').randomBytes(48).toString(\'base64url\'))"`'),
    /** Old keys still accepted when verifying signatures (key rotation). */
    SECRET_KEY_FALLBACKS: z.array(z.string()).default([]),
    DEBUG: z.boolean().default(false),
    /** Host names this site serves; '.example.com' matches subdomains, '*' anything. */
    ALLOWED_HOSTS: z.array(z.string()).default([]),
    INSTALLED_APPS: z.array(z.string()).default([]),
    MIDDLEWARE: z.array(middlewareEntry).default(['security', 'common', 'static']),
    /** Module (relative to the project root) whose default export is the root route list. */
    ROOT_URLCONF: z.string().default('urls'),
    APPEND_SLASH: z.boolean().default(true),
    TEMPLATES: templatesSchema.default(templatesSchema.parse({})),
    STATIC_URL: z.string().regex(/^(\/|https?:\/\/).*\/$/, "must start with '/' (or http(s)://) and end with '/'").default('/static/'),
    /** Where `manage collectstatic` copies files; served by the web server in production. */
    STATIC_ROOT: z.string().nullable().default(null),
    /** Extra project folders of static files, besides each app's `static/`. */
    STATICFILES_DIRS: z.array(z.string()).default(['static']),
    DATABASES: z.record(z.string(), databaseSchema).default({ default: { ENGINE: 'sqlite', NAME: 'db.sqlite3', OPTIONS: {} } }),
    DATA_UPLOAD_MAX_MEMORY_SIZE: z.number().int().positive().default(Math.floor(2.5 * MiB)),
    DATA_UPLOAD_MAX_NUMBER_FIELDS: z.number().int().positive().default(1000),
    DATA_UPLOAD_MAX_NUMBER_FILES: z.number().int().positive().default(100),
    /** Largest single uploaded file (bytes) before 413. */
    FILE_UPLOAD_MAX_SIZE: z.number().int().positive().default(100 * MiB),
    /** Folder for uploaded temp files; the OS temp dir when null. */
    FILE_UPLOAD_TEMP_DIR: z.string().nullable().default(null),
    SECURE_CONTENT_TYPE_NOSNIFF: z.boolean().default(true),
    X_FRAME_OPTIONS: z.enum(['DENY', 'SAMEORIGIN']).nullable().default('DENY'),
    SECURE_REFERRER_POLICY: z.string().nullable().default('same-origin'),
    SECURE_CROSS_ORIGIN_OPENER_POLICY: z.string().nullable().default('same-origin'),
    SECURE_HSTS_SECONDS: z.number().int().nonnegative().default(0),
    SECURE_HSTS_INCLUDE_SUBDOMAINS: z.boolean().default(false),
    SECURE_HSTS_PRELOAD: z.boolean().default(false),
    SECURE_SSL_REDIRECT: z.boolean().default(false),
    /** Content-Security-Policy directives for the 'csp' middleware; a `'nonce'` source becomes a per-request nonce. */
    SECURE_CSP: z.record(z.string(), z.union([z.string(), z.array(z.string())])).nullable().default(null),
    /** Same, sent as Content-Security-Policy-Report-Only (try a policy before enforcing it). */
    SECURE_CSP_REPORT_ONLY: z.record(z.string(), z.union([z.string(), z.array(z.string())])).nullable().default(null),
    /** [header, value] that a trusted proxy sets for HTTPS, e.g. ['x-forwarded-proto', 'https']. */
    SECURE_PROXY_SSL_HEADER: z.tuple([z.string().toLowerCase(), z.string()]).nullable().default(null),
    /** Proxy addresses or CIDR ranges (IPv4, IPv6) whose X-Forwarded-* headers are believed, e.g. ['127.0.0.1', '10.0.0.0/8']. */
    TRUSTED_PROXIES: z
      .array(
        z.string().superRefine((entry, ctx) => {
          const problem = proxyEntryProblem(entry);
          if (problem !== null) ctx.addIssue({ code: 'custom', message: `'${entry}': ${problem}` });
        }),
      )
      .default([]),
    USE_X_FORWARDED_HOST: z.boolean().default(false),
    /** System check ids (`core.E001`...) that `manage check` should not report. */
    SILENCED_SYSTEM_CHECKS: z.array(z.string()).default([]),
    /** IANA zone used to display datetimes (values are stored in UTC). */
    TIME_ZONE: z.string().default('UTC'),
    /** Extra setting names the 'settings' context processor shows to templates (never secrets). */
    TEMPLATE_VISIBLE_SETTINGS: z.array(z.string()).default([]),
    /** Compress text responses at least this long (GZipMiddleware). */
    GZIP_MIN_LENGTH: z.number().int().nonnegative().default(200),
    SERVER: serverSchema.default(serverSchema.parse({})),
    /** Cache aliases (`caches(app).get(alias)`); 'default' is the one `caches(app).default` gives. */
    /** The cache the 'cache' / 'updateCache' / 'fetchFromCache' middleware use, for how long, under which prefix. */
    CACHE_MIDDLEWARE_ALIAS: z.string().default('default'),
    CACHE_MIDDLEWARE_SECONDS: z.number().nonnegative().default(600),
    CACHE_MIDDLEWARE_KEY_PREFIX: z.string().default(''),
    CACHES: z.record(z.string(), cacheSchema).default({ default: { BACKEND: 'locmem', LOCATION: '', TIMEOUT: 300, KEY_PREFIX: '', VERSION: 1, OPTIONS: {} } }),
  })
  .catchall(z.unknown());

/** Settings as the user writes them (defaults optional). */
export type SettingsInput = z.input<typeof settingsSchema>;
/** Validated settings with defaults applied. */
export type Settings = z.output<typeof settingsSchema>;
export type DatabaseSettings = z.output<typeof databaseSchema>;
export type CacheSettings = z.output<typeof cacheSchema>;
