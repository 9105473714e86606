import { ImproperlyConfigured, type Settings } from '@atrium/core';

/** What the Nunjucks backend reads from settings, checked once at start-up. */
export interface TemplateOptions {
  dirs: readonly string[];
  appDirs: boolean;
  contextProcessors: readonly string[];
  /** Recompile a template when its file changes (DEBUG); otherwise compile once. */
  checkFreshness: boolean;
  /** IANA zone the `date` filter formats in: settings.TIME_ZONE, else 'UTC'. */
  timeZone: string;
  /** Extra setting names the 'settings' context processor exposes. */
  visibleSettings: readonly string[];
}

const KNOWN_OPTIONS = ['contextProcessors', 'autoescape'];

// Names that hold credentials, as Django's SafeExceptionReporterFilter guesses them.
const SECRET_NAME = /API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|CREDENTIAL|PRIVATE|HTTP_COOKIE/i;
const NEVER_VISIBLE = new Set(['DATABASES', 'CACHES']);

/**
 * Read and check TEMPLATES, TIME_ZONE and TEMPLATE_VISIBLE_SETTINGS.
 * Throws ImproperlyConfigured naming the key and the fix.
 */
export function readTemplateOptions(settings: Settings): TemplateOptions {
  const { DIRS, APP_DIRS, OPTIONS } = settings.TEMPLATES;
  for (const key of Object.keys(OPTIONS)) {
    if (!KNOWN_OPTIONS.includes(key)) {
      throw new ImproperlyConfigured(`TEMPLATES.OPTIONS.${key} is not an option of @atrium/templates; known options: ${KNOWN_OPTIONS.join(', ')}.`);
    }
  }
  // Autoescape is a promise of the framework (docs/security), not a preference.
  if ('autoescape' in OPTIONS && OPTIONS.autoescape !== true) {
    throw new ImproperlyConfigured(
      `TEMPLATES.OPTIONS.autoescape is ${JSON.stringify(OPTIONS.autoescape)}; Atrium always autoescapes. Remove the option and mark trusted markup with the 'safe' filter instead.`,
    );
  }
  return {
    dirs: DIRS,
    appDirs: APP_DIRS,
    contextProcessors: OPTIONS.contextProcessors,
    checkFreshness: settings.DEBUG,
    timeZone: readTimeZone(settings.TIME_ZONE),
    visibleSettings: readVisibleSettings(settings.TEMPLATE_VISIBLE_SETTINGS),
  };
}

function readTimeZone(value: unknown): string {
  // UTC, the default, needs no check: asking Intl would map ICU's time zone data (about 8 MB of RSS) into every process.
  if (value === undefined || value === null || value === 'UTC') return 'UTC';
  if (typeof value === 'string') {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value });
      return value;
    } catch {
      // Fall through to the error below.
    }
  }
  throw new ImproperlyConfigured(`TIME_ZONE is ${JSON.stringify(value)}; expected an IANA time zone name such as 'UTC' or 'Europe/Paris'.`);
}

function readVisibleSettings(value: unknown): readonly string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((name): name is string => typeof name === 'string')) {
    throw new ImproperlyConfigured(`TEMPLATE_VISIBLE_SETTINGS must be an array of setting names, e.g. ['SITE_NAME']; got ${JSON.stringify(value)}.`);
  }
  for (const name of value) {
    if (SECRET_NAME.test(name) || NEVER_VISIBLE.has(name)) {
      throw new ImproperlyConfigured(
        `TEMPLATE_VISIBLE_SETTINGS lists '${name}', which looks like a secret; templates never see credentials. Remove it, or pass the value you need to the template context explicitly.`,
      );
    }
  }
  return value;
}
