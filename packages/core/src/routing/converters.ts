import { ImproperlyConfigured } from '../errors.js';

/**
 * Turns one matched piece of a URL into a typed value and back, like Django's
 * path converters. Give `regex` (Django-style source, no anchors), `match`
 * (a fast whole-value test), or both: `regex` is needed to use the converter
 * next to other text in one segment (`<int:year>-<int:month>`), `match` is
 * what a whole segment is tested with when present.
 * @example
 * const year: Converter<number> = { regex: '[0-9]{4}', toValue: Number, toUrl: (y) => String(y).padStart(4, '0') };
 * new Router(routes, { converters: { year } });
 */
export interface Converter<T = unknown> {
  /** Regular-expression source for one value, as in Django (`'[0-9]{4}'`). A RegExp's flags are not allowed. */
  readonly regex?: string | RegExp;
  /** True when `candidate` (never empty for built-ins) is a well-formed value. */
  readonly match?: (candidate: string) => boolean;
  /** Values may contain '/' and span several segments, like `path`. Tried after single-segment converters. */
  readonly spansSegments?: boolean;
  /** The typed value; throw or return undefined to reject the candidate (the route does not match). */
  toValue(raw: string): T | undefined;
  /** The URL text for a value (before percent-encoding); throw to refuse it (NoReverseMatch). */
  toUrl(value: T): string;
}

/**
 * The value type of each converter name, used to type route parameters.
 * Add custom converters by declaration merging:
 * @example declare module '@atrium/core' { interface ConverterTypes { year: number } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ConverterTypes extends BuiltinConverterTypes {}

/** The value types of the built-in converters. */
export interface BuiltinConverterTypes {
  int: number;
  str: string;
  slug: string;
  uuid: string;
  path: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isSlug(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // - 0-9 A-Z _ a-z
    if (!(c === 45 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 95 || (c >= 97 && c <= 122))) return false;
  }
  return true;
}

const identity = (raw: string): string => raw;

/** The built-in converters, with Django's regexes and hand-written matchers for speed. */
export const builtinConverters: Readonly<{ [K in keyof BuiltinConverterTypes]: Converter<BuiltinConverterTypes[K]> }> = Object.freeze({
  int: {
    regex: '[0-9]+',
    match: isDigits,
    // Refuse digits beyond 2^53: they would silently lose precision as a number.
    toValue: (raw: string) => {
      const n = Number(raw);
      return Number.isSafeInteger(n) ? n : undefined;
    },
    toUrl: (value: number) => String(value),
  },
  str: { regex: '[^/]+', match: (s: string) => s.length > 0 && !s.includes('/'), toValue: identity, toUrl: String },
  slug: { regex: '[-a-zA-Z0-9_]+', match: isSlug, toValue: identity, toUrl: String },
  uuid: { regex: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', match: (s: string) => s.length === 36 && UUID_RE.test(s), toValue: identity, toUrl: String },
  path: { regex: '.+', match: (s: string) => s.length > 0, spansSegments: true, toValue: identity, toUrl: String },
});

/** A converter checked and prepared once by the router. */
export interface CompiledConverter {
  readonly name: string;
  /** Regex source for compound segments, or null when the converter only has `match`. */
  readonly regexSource: string | null;
  readonly test: (candidate: string) => boolean;
  readonly spansSegments: boolean;
  readonly toValue: (raw: string) => unknown;
  readonly toUrl: (value: unknown) => string;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Check the built-in and custom converters and prepare them for matching.
 * Custom names may not replace built-ins (Django deprecated that too: a
 * pattern's meaning would depend on what else is installed).
 */
export function compileConverters(custom: Readonly<Record<string, Converter>> = {}): ReadonlyMap<string, CompiledConverter> {
  const table = new Map<string, CompiledConverter>();
  for (const [name, converter] of Object.entries(builtinConverters)) table.set(name, compileConverter(name, converter as Converter));
  for (const [name, converter] of Object.entries(custom)) {
    if (!NAME_RE.test(name)) {
      throw new ImproperlyConfigured(`Converter name '${name}' is not an identifier; use letters, digits and '_' (e.g. 'year').`);
    }
    if (table.has(name)) {
      throw new ImproperlyConfigured(`Converter '${name}' is built in and cannot be replaced; register yours under another name (e.g. '${name}2').`);
    }
    table.set(name, compileConverter(name, converter));
  }
  return table;
}

function compileConverter(name: string, converter: Converter): CompiledConverter {
  if (typeof converter !== 'object' || converter === null || typeof converter.toValue !== 'function' || typeof converter.toUrl !== 'function') {
    throw new ImproperlyConfigured(`Converter '${name}' must be an object with toValue(raw) and toUrl(value) functions.`);
  }
  let regexSource: string | null = null;
  if (converter.regex instanceof RegExp) {
    if (converter.regex.flags !== '') {
      throw new ImproperlyConfigured(`Converter '${name}' has a regex with flags '${converter.regex.flags}'; flags are ignored in patterns, so write the regex without them.`);
    }
    regexSource = converter.regex.source;
  } else if (typeof converter.regex === 'string') {
    regexSource = converter.regex;
  }
  if (regexSource !== null) {
    try {
      new RegExp(regexSource);
    } catch (cause) {
      throw new ImproperlyConfigured(`Converter '${name}' has an invalid regex '${regexSource}': ${(cause as Error).message}`, { cause });
    }
  }
  let test: (candidate: string) => boolean;
  if (typeof converter.match === 'function') {
    test = converter.match;
  } else if (regexSource !== null) {
    const anchored = new RegExp(`^(?:${regexSource})$`);
    test = (candidate) => anchored.test(candidate);
  } else {
    throw new ImproperlyConfigured(`Converter '${name}' needs a regex (e.g. '[0-9]{4}') or a match(candidate) function.`);
  }
  const toValue = converter.toValue as (raw: string) => unknown;
  const toUrl = converter.toUrl as (value: unknown) => string;
  return { name, regexSource, test, spansSegments: converter.spansSegments === true, toValue, toUrl };
}

/** A converter's value for `raw`, or undefined when it rejects it (by returning undefined or throwing). */
export function convertValue(converter: CompiledConverter, raw: string): unknown {
  try {
    return converter.toValue(raw);
  } catch {
    return undefined;
  }
}
