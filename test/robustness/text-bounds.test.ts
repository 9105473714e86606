import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createApplication, type TemplateBackend } from '@atrium/core';
import { fields, form } from '@atrium/forms';
import { buildPasswordValidators, isSafeRedirect, parseAuthSettings, PasswordValidationError, validatePassword } from '@atrium/auth';
import { checkProperty, MEGABYTE_BOUND_MS, nastyString, withinTime } from './support/fuzz.js';
import { recordBadInput } from './support/tally.js';

/**
 * Every text filter and validator Atrium ships, on megabyte-long and
 * pathological input (the shapes behind Django's CVEs in urlize, truncate,
 * striptags, wordwrap, intcomma, the e-mail and URL validators and the
 * similarity validator): each call finishes within MEGABYTE_BOUND_MS. The
 * bound detects super-linear blow-ups, which take minutes on a megabyte; it
 * is not a speed target.
 */
const MB = 1_000_000;

const app = await createApplication({
  settings: { SECRET_KEY: 'robustness-text-secret-key-0123456789-abcdef', ALLOWED_HOSTS: ['testserver'], TEMPLATES: { BACKEND: '@atrium/templates', DIRS: [], APP_DIRS: false, OPTIONS: {} } },
  routes: [],
});
const templates = app.context.templates as TemplateBackend;

/** Each filter Atrium adds, and Nunjucks' own text filters, as `{{ v | ... }}` expressions. */
const FILTER_EXPRESSIONS = [
  'v | urlize',
  'v | striptags',
  'v | truncatechars(30)',
  'v | truncatechars(900000)',
  'v | truncatewords(5)',
  'v | truncatewords(900000)',
  'v | wordwrap(1)',
  'v | wordwrap(79)',
  'v | intcomma',
  'v | filesizeformat',
  'v | slugify',
  'v | linebreaks',
  'v | linebreaksbr',
  'v | pluralize',
  "v | pluralize('y,ies')",
  "v | yesno('a,b,c')",
  'v | default_if_none("-")',
  "v | json_script('data')",
  "v | date('Y-m-d')",
  'v | truncate(20)',
  'v | wordcount',
  'v | title',
  'v | capitalize',
  'v | escape',
  'v | urlencode',
  'v | nl2br',
  'v | trim',
  'v | indent(4)',
  "v | replace('a', 'bb')",
  'v | center(80)',
  'v | length',
  'v | reverse',
];

/** Megabyte inputs shaped like the worst cases of regex-based text helpers. */
const PATHOLOGICAL: Record<string, string> = {
  'words': 'ab '.repeat(MB / 3),
  'newlines': '\n'.repeat(MB),
  'crlf': '\r\n'.repeat(MB / 2),
  'open angles': '<'.repeat(MB),
  'unclosed tags': '<a'.repeat(MB / 2),
  'nested tags': '<<b>'.repeat(MB / 4),
  'www dots': 'www.'.repeat(MB / 4),
  'parentheses': `${'('.repeat(MB / 2)}http://a.com${')'.repeat(MB / 4)}${'.'.repeat(MB / 4)}`,
  'emails': 'a@b.c '.repeat(MB / 6),
  'email dots': `a@${'a.'.repeat(MB / 2)}`,
  'digits': `${'9'.repeat(MB / 2)}.${'9'.repeat(MB / 2)}`,
  'combining marks': `a${'\u0301'.repeat(MB)}`,
};

async function renderTimed(expression: string, value: unknown): Promise<number> {
  const start = performance.now();
  // `| length` keeps the output small, so the time is the filter's, not escaping a megabyte of output.
  await withinTime(templates.renderString(`{{ ${expression} | length }}`, { v: value }), 30_000, `{{ ${expression} }}`);
  return performance.now() - start;
}

describe('template filters finish in bounded time on megabyte pathological input', () => {
  for (const expression of FILTER_EXPRESSIONS) {
    it(`{{ ${expression} }}`, async () => {
      for (const [shape, value] of Object.entries(PATHOLOGICAL)) {
        const ms = await renderTimed(expression, value);
        recordBadInput(`filter ${expression} on ${shape}`, ms < MEGABYTE_BOUND_MS);
        expect(ms, `{{ ${expression} }} on 1 MB of ${shape}`).toBeLessThan(MEGABYTE_BOUND_MS);
      }
    });
  }

  it('any filter on any short string or value renders or fails with a template error, never hangs', async () => {
    await checkProperty(
      'filters: any value',
      fc.asyncProperty(fc.constantFrom(...FILTER_EXPRESSIONS), fc.oneof(nastyString, fc.jsonValue({ maxDepth: 2 }), fc.integer(), fc.double()), async (expression, value) => {
        try {
          await withinTime(templates.renderString(`{{ ${expression} }}`, { v: value }), 2_000, expression);
        } catch (error) {
          if (error instanceof Error && /did not settle/.test(error.message)) throw error;
          // A filter refusing a value (a template error) is an answer; only a hang fails.
        }
      }),
      400,
    );
  });
});

const Validators = form({
  email: fields.email({ required: false }),
  site: fields.url({ required: false }),
  slug: fields.slug({ required: false }),
  key: fields.uuid({ required: false }),
  count: fields.integer({ required: false }),
  ratio: fields.float({ required: false }),
  price: fields.decimal({ required: false, maxDigits: 12, decimalPlaces: 2 }),
  born: fields.date({ required: false }),
  at: fields.datetime({ required: false }),
  time: fields.time({ required: false }),
  meta: fields.json({ required: false }),
  name: fields.char({ required: false, maxLength: 100 }),
});
const VALIDATED = ['email', 'site', 'slug', 'key', 'count', 'ratio', 'price', 'born', 'at', 'time', 'meta', 'name'] as const;

describe('form validators finish in bounded time on megabyte pathological input', () => {
  for (const name of VALIDATED) {
    it(`the ${name} field`, async () => {
      for (const [shape, value] of Object.entries(PATHOLOGICAL)) {
        const bound = new Validators({ data: { [name]: value } });
        const start = performance.now();
        await withinTime(bound.isValid(), 30_000, `${name} on ${shape}`);
        const ms = performance.now() - start;
        recordBadInput(`validator ${name} on ${shape}`, ms < MEGABYTE_BOUND_MS);
        expect(ms, `${name} on 1 MB of ${shape}`).toBeLessThan(MEGABYTE_BOUND_MS);
      }
    });
  }

  it('password validators (similarity, common, numeric, length) on a 4096-character password and long user attributes', async () => {
    const validators = buildPasswordValidators(parseAuthSettings({}));
    for (const [shape, value] of Object.entries(PATHOLOGICAL)) {
      const password = value.slice(0, 4096);
      const user = { username: value.slice(0, 150), email: `${value.slice(0, 200)}@example.com`, firstName: value.slice(0, 150), lastName: value.slice(0, 150) };
      const start = performance.now();
      await withinTime(
        validatePassword(password, validators, user).catch((error: unknown) => {
          if (!(error instanceof PasswordValidationError)) throw error;
        }),
        30_000,
        `password on ${shape}`,
      );
      const ms = performance.now() - start;
      recordBadInput(`password validators on ${shape}`, ms < MEGABYTE_BOUND_MS);
      expect(ms, `password validators on ${shape}`).toBeLessThan(MEGABYTE_BOUND_MS);
    }
  });

  it('isSafeRedirect on megabyte and any input answers a boolean in bounded time', async () => {
    for (const [shape, value] of Object.entries(PATHOLOGICAL)) {
      const start = performance.now();
      const safe = isSafeRedirect(value, { allowedHosts: ['www.example.com'], requireHttps: false });
      const ms = performance.now() - start;
      recordBadInput(`isSafeRedirect on ${shape}`, ms < MEGABYTE_BOUND_MS);
      expect(typeof safe).toBe('boolean');
      expect(ms, `isSafeRedirect on ${shape}`).toBeLessThan(MEGABYTE_BOUND_MS);
    }
    await checkProperty(
      'isSafeRedirect: any string',
      fc.property(fc.oneof(nastyString, fc.webUrl(), fc.string({ unit: 'binary' }).map((s) => `/${s}`)), (url) => {
        const safe = isSafeRedirect(url, { allowedHosts: ['www.example.com'], requireHttps: false });
        if (safe && /^\s*(javascript|data|vbscript):/i.test(url)) throw new Error(`${JSON.stringify(url)} judged safe`);
        if (safe && /^[\s\x00-\x1f]*[/\\][\s\x00-\x1f]*[/\\]/.test(url)) throw new Error(`scheme-relative ${JSON.stringify(url)} judged safe`);
      }),
      500,
    );
  });
});
