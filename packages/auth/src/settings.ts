import { ImproperlyConfigured, type AppContext } from '@atrium/core';
import { z } from 'zod';

const sameSite = z.enum(['lax', 'strict', 'none']).nullable();
const seconds = z.number().int().nonnegative();

/** A password validator entry, as in Django: `{ NAME, OPTIONS }`. */
const validatorEntry = z.object({
  NAME: z.string().min(1),
  OPTIONS: z.record(z.string(), z.unknown()).default({}),
});

/**
 * Argon2id cost parameters. The floors are OWASP's minimum for argon2id
 * (m=19 MiB, t=2, p=1; ASVS 5.0 appendix C), so settings can only raise them.
 */
const argon2Schema = z.object({
  /** KiB of memory per hash. */
  memoryCost: z.number().int().min(19_456, 'must be at least 19456 KiB (19 MiB), the OWASP minimum for argon2id').default(19_456),
  timeCost: z.number().int().min(2, 'must be at least 2, the OWASP minimum for argon2id with 19 MiB').default(2),
  parallelism: z.number().int().min(1).max(16).default(1),
});

const redisUrl = z.string().regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL, e.g. 'redis://127.0.0.1:6379/0'");

/**
 * Every setting the auth app reads, with its default. Core keeps unknown
 * settings (its schema has a catch-all); this schema validates them when the
 * app starts, so a typo'd value stops start-up naming the key.
 */
export const authSettingsSchema = z.object({
  PASSWORD_HASHERS: z.array(z.string().min(1)).min(1, 'must list at least one hasher; the first hashes new passwords').default(['argon2', 'scrypt']),
  ARGON2: argon2Schema.default(argon2Schema.parse({})),
  AUTH_PASSWORD_VALIDATORS: z.array(validatorEntry).default([
    { NAME: 'UserAttributeSimilarityValidator', OPTIONS: {} },
    { NAME: 'MinimumLengthValidator', OPTIONS: {} },
    { NAME: 'CommonPasswordValidator', OPTIONS: {} },
    { NAME: 'NumericPasswordValidator', OPTIONS: {} },
  ]),

  CSRF_COOKIE_NAME: z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'must be a valid cookie name').default('csrftoken'),
  /** Seconds; Django's default of about a year, so long-open forms keep working. */
  CSRF_COOKIE_AGE: seconds.nullable().default(31_449_600),
  CSRF_COOKIE_DOMAIN: z.string().nullable().default(null),
  CSRF_COOKIE_PATH: z.string().startsWith('/').default('/'),
  CSRF_COOKIE_SECURE: z.boolean().default(false),
  /** Off by default, as in Django: JavaScript may read the token to send X-CSRFToken. */
  CSRF_COOKIE_HTTPONLY: z.boolean().default(false),
  CSRF_COOKIE_SAMESITE: sameSite.default('lax'),
  /** The request header carrying the token for AJAX (`X-CSRFToken`). */
  CSRF_HEADER_NAME: z.string().regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name such as X-CSRFToken').default('X-CSRFToken'),
  /** Origins allowed for unsafe requests besides the site itself: 'https://example.com', 'https://*.example.com'. */
  CSRF_TRUSTED_ORIGINS: z
    .array(z.string().regex(/^[a-z][a-z0-9+.-]*:\/\/[^/]+$/i, "must be a scheme and host without a path, e.g. 'https://example.com' or 'https://*.example.com'"))
    .default([]),
  /** Keep the CSRF secret in the session instead of a cookie (needs the 'sessions' middleware before 'csrf'). */
  CSRF_USE_SESSIONS: z.boolean().default(false),

  /**
   * 'db', 'redis', 'signed_cookies', 'memory' (one process only) or an engine
   * registered with registerSessionEngine. Unset: 'db' when the orm app is
   * installed (sessions revocable server-side), else 'signed_cookies'.
   */
  SESSION_ENGINE: z.string().min(1).optional(),
  SESSION_COOKIE_NAME: z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'must be a valid cookie name').default('sessionid'),
  /** Seconds: two weeks, as in Django. */
  SESSION_COOKIE_AGE: z.number().int().positive().default(1_209_600),
  SESSION_COOKIE_DOMAIN: z.string().nullable().default(null),
  SESSION_COOKIE_PATH: z.string().startsWith('/').default('/'),
  /** Secure is also set whenever the request itself came over HTTPS. */
  SESSION_COOKIE_SECURE: z.boolean().default(false),
  SESSION_COOKIE_HTTPONLY: z.boolean().default(true),
  SESSION_COOKIE_SAMESITE: sameSite.default('lax'),
  SESSION_EXPIRE_AT_BROWSER_CLOSE: z.boolean().default(false),
  SESSION_SAVE_EVERY_REQUEST: z.boolean().default(false),
  /** When the store is down: 'error' answers 503; 'anonymous' serves the request with an empty, unsaved session. */
  SESSION_STORE_FAILURE: z.enum(['error', 'anonymous']).default('error'),
  SESSION_REDIS_URL: redisUrl.default('redis://127.0.0.1:6379/0'),
  SESSION_REDIS_KEY_PREFIX: z.string().default('atrium:session:'),
  /** ms to connect or run one command before the store counts as down. */
  SESSION_REDIS_TIMEOUT: z.number().int().positive().default(1000),

  /** 'cookie' (signed cookie, no store round trip) or 'session'. */
  MESSAGE_STORAGE: z.enum(['cookie', 'session']).default('cookie'),
  /** Messages below this level are dropped. */
  MESSAGE_LEVEL: z.enum(['debug', 'info', 'success', 'warning', 'error']).default('info'),

  /** 'smtp', 'console', 'file' (EMAIL_FILE_PATH) or 'memory' (tests: the `outbox`). */
  EMAIL_BACKEND: z.enum(['smtp', 'console', 'file', 'memory']).default('smtp'),
  EMAIL_HOST: z.string().default('localhost'),
  EMAIL_PORT: z.number().int().min(1).max(65_535).default(25),
  EMAIL_HOST_USER: z.string().default(''),
  EMAIL_HOST_PASSWORD: z.string().default(''),
  /** STARTTLS on a plain connection (port 587). */
  EMAIL_USE_TLS: z.boolean().default(false),
  /** Implicit TLS from the start (port 465). */
  EMAIL_USE_SSL: z.boolean().default(false),
  /** Seconds before an SMTP connection or command gives up. */
  EMAIL_TIMEOUT: z.number().positive().default(10),
  EMAIL_FILE_PATH: z.string().nullable().default(null),
  DEFAULT_FROM_EMAIL: z.string().default('webmaster@localhost'),

  /** Where guards send anonymous users: a path, a URL or a route name. */
  LOGIN_URL: z.string().min(1).default('/accounts/login/'),
  LOGIN_REDIRECT_URL: z.string().min(1).default('/accounts/profile/'),
  LOGOUT_REDIRECT_URL: z.string().nullable().default(null),
  REDIRECT_FIELD_NAME: z.string().min(1).default('next'),
  /** Hosts besides the request's own that `?next=` may point to. */
  REDIRECT_ALLOWED_HOSTS: z.array(z.string()).default([]),

  /** The user model, as 'app_label.ModelName'; decide it before the first migration (see docs/auth.md). */
  AUTH_USER_MODEL: z.string().regex(/^[a-z_][a-z0-9_]*\.[A-Z][A-Za-z0-9]*$/, "must be 'app_label.ModelName', e.g. 'accounts.User'").default('auth.User'),
  /** Authentication backends by registered name, tried in order ('model': username and password against the user model). */
  AUTHENTICATION_BACKENDS: z.array(z.string().min(1)).min(1, "must list at least one backend, e.g. ['model']").default(['model']),
  /** Seconds a password reset link stays valid (Django's default: 3 days). */
  PASSWORD_RESET_TIMEOUT: z.number().int().positive().default(259_200),
  /** Staff users must pass a second factor (TOTP) before staff-only pages (staffRequired) let them in. */
  AUTH_REQUIRE_2FA_FOR_STAFF: z.boolean().default(false),
  /** Issuer shown in authenticator apps; default: the request's host. */
  OTP_ISSUER: z.string().min(1).nullable().default(null),
  /** Seconds between the password step and the second-factor step of a login before it must start again. */
  OTP_LOGIN_TIMEOUT: z.number().int().positive().default(300),
  /** Where users enrol an authenticator app: a path, a URL or a route name. */
  TWO_FACTOR_SETUP_URL: z.string().min(1).default('/accounts/two-factor/setup/'),
  /** Where the second factor is asked for (after the password, or before staff pages): a path, a URL or a route name. */
  TWO_FACTOR_VERIFY_URL: z.string().min(1).default('/accounts/two-factor/verify/'),

  /** 'memory' (one process) or 'redis' (shared by every worker). */
  AUTH_THROTTLE_STORE: z.enum(['memory', 'redis']).default('memory'),
  AUTH_THROTTLE_REDIS_URL: redisUrl.default('redis://127.0.0.1:6379/0'),
  /** Failures per username within the window before it is locked (ASVS: at most 100 an hour). */
  AUTH_THROTTLE_USERNAME_LIMIT: z.number().int().positive().max(100).default(10),
  /** Failures per client address within the window before it is locked. */
  AUTH_THROTTLE_IP_LIMIT: z.number().int().positive().default(50),
  /** Seconds over which failures are counted. */
  AUTH_THROTTLE_WINDOW: z.number().int().positive().default(900),
  /** Seconds a locked username or address stays locked. */
  AUTH_THROTTLE_LOCKOUT: z.number().int().positive().default(900),
  /** Failures (per username) before each attempt is slowed down. */
  AUTH_THROTTLE_DELAY_AFTER: z.number().int().nonnegative().default(3),
  /** ms of the first delay; doubles per further failure, capped at 5 s. */
  AUTH_THROTTLE_DELAY_MS: z.number().int().nonnegative().default(250),
});

export type AuthSettings = z.output<typeof authSettingsSchema>;
export type AuthSettingsInput = z.input<typeof authSettingsSchema>;

const cache = new WeakMap<AppContext, AuthSettings>();

/**
 * The auth settings of a running project, validated once per application.
 * Throws ImproperlyConfigured naming each bad key, its value and what is expected.
 * @example const { LOGIN_URL } = authSettings(request.app);
 */
export function authSettings(app: Pick<AppContext, 'settings'>): AuthSettings {
  const key = app as AppContext;
  const cached = cache.get(key);
  if (cached) return cached;
  const settings = parseAuthSettings(app.settings as Readonly<Record<string, unknown>>);
  cache.set(key, settings);
  return settings;
}

/**
 * Validate auth settings from a plain object (other keys are ignored).
 * @example parseAuthSettings({ SESSION_ENGINE: 'redis' }).SESSION_COOKIE_AGE // 1209600
 */
export function parseAuthSettings(input: Readonly<Record<string, unknown>>): AuthSettings {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(authSettingsSchema.shape)) {
    if (input[key] !== undefined) picked[key] = input[key];
  }
  const result = authSettingsSchema.safeParse(picked);
  if (result.success) {
    const settings = result.data;
    if (settings.EMAIL_USE_TLS && settings.EMAIL_USE_SSL) {
      throw new ImproperlyConfigured('Invalid auth settings:\n  - EMAIL_USE_TLS and EMAIL_USE_SSL are both true: choose one (TLS for STARTTLS on 587, SSL for port 465).');
    }
    if (settings.EMAIL_BACKEND === 'file' && !settings.EMAIL_FILE_PATH) {
      throw new ImproperlyConfigured("Invalid auth settings:\n  - EMAIL_FILE_PATH is missing: EMAIL_BACKEND 'file' needs a folder to write messages to.");
    }
    for (const [name, policy] of [
      ['SESSION_COOKIE_SAMESITE', settings.SESSION_COOKIE_SAMESITE],
      ['CSRF_COOKIE_SAMESITE', settings.CSRF_COOKIE_SAMESITE],
    ] as const) {
      const secure = name === 'SESSION_COOKIE_SAMESITE' ? settings.SESSION_COOKIE_SECURE : settings.CSRF_COOKIE_SECURE;
      if (policy === 'none' && !secure) {
        throw new ImproperlyConfigured(`Invalid auth settings:\n  - ${name} is 'none' but ${name.replace('SAMESITE', 'SECURE')} is false; browsers refuse SameSite=None cookies without Secure.`);
      }
    }
    return settings;
  }
  const lines = result.error.issues.map((issue) => {
    const key = issue.path.map(String).join('.');
    let value: unknown = picked;
    for (const part of issue.path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[part as PropertyKey] : undefined;
    const shown = key === 'EMAIL_HOST_PASSWORD' ? '(hidden)' : JSON.stringify(value) ?? String(value);
    return `  - ${key} is ${shown}: ${issue.message}`;
  });
  throw new ImproperlyConfigured(`Invalid auth settings:\n${lines.join('\n')}`);
}
