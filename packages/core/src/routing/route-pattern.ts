import { ImproperlyConfigured } from '../errors.js';
import type { CompiledConverter } from './converters.js';

/** One `<converter:name>` of a pattern. */
export interface PatternParam {
  readonly name: string;
  readonly converter: CompiledConverter;
}

/**
 * One '/'-separated segment of a pattern, by how it matches:
 * - `static`: the exact text (`posts`, or '' for the segment after a trailing slash);
 * - `param`: the whole segment is one single-segment converter (`<int:id>`);
 * - `compound`: text and converters mixed (`<int:year>-<int:month>`), matched with one regex;
 * - `span`: a converter whose values contain '/' (`<path:rest>`); it takes one or more segments.
 */
export type PatternSegment =
  | { readonly kind: 'static'; readonly text: string }
  | { readonly kind: 'param'; readonly param: PatternParam }
  | { readonly kind: 'compound'; readonly parts: readonly (string | PatternParam)[]; readonly regex: RegExp; readonly key: string }
  | { readonly kind: 'span'; readonly param: PatternParam };

/** A pattern checked and split into segments, ready for the route table and for reverse(). */
export interface ParsedPattern {
  /** As written, Django style: no leading slash (`blog/<int:id>/`, '' for the root). */
  readonly pattern: string;
  readonly segments: readonly PatternSegment[];
  /** Parameter names in the order they appear. */
  readonly paramNames: readonly string[];
  /** True when the pattern has no parameters: it is one exact path. */
  readonly isStatic: boolean;
}

const PARAM_RE = /<([^<>]*)>/g;
const IDENTIFIER_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parse and check a pattern such as `posts/<int:id>/<slug:slug>/` against the
 * router's converters. Every mistake is reported at start-up, naming the
 * pattern and the fix.
 * @example parseRoutePattern('posts/<int:id>/', compileConverters()).paramNames // ['id']
 */
export function parseRoutePattern(pattern: string, converters: ReadonlyMap<string, CompiledConverter>): ParsedPattern {
  if (pattern.startsWith('/')) {
    throw new ImproperlyConfigured(
      `Route pattern '${pattern}' starts with '/'; patterns are written without the leading slash, as in Django: '${pattern.replace(/^\/+/, '')}'.`,
    );
  }
  const withoutParams = pattern.replace(PARAM_RE, '');
  if (withoutParams.includes('<') || withoutParams.includes('>')) {
    throw new ImproperlyConfigured(`Route pattern '${pattern}' has an unbalanced '<' or '>'; write parameters as <converter:name> or <name>.`);
  }
  const paramNames: string[] = [];
  const segments = pattern.split('/').map((text) => parseSegment(pattern, text, converters, paramNames));
  return { pattern, segments, paramNames, isStatic: paramNames.length === 0 };
}

function parseSegment(pattern: string, text: string, converters: ReadonlyMap<string, CompiledConverter>, names: string[]): PatternSegment {
  const parts: (string | PatternParam)[] = [];
  let last = 0;
  for (const m of text.matchAll(PARAM_RE)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    parts.push(parseParam(pattern, m[1]!, converters, names));
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));

  const only = parts[0];
  if (parts.length === 0) return { kind: 'static', text: '' };
  if (parts.length === 1 && typeof only === 'string') return { kind: 'static', text: only };
  if (parts.length === 1 && typeof only === 'object') {
    return only.converter.spansSegments ? { kind: 'span', param: only } : { kind: 'param', param: only };
  }
  return compileCompound(pattern, text, parts);
}

function parseParam(pattern: string, inner: string, converters: ReadonlyMap<string, CompiledConverter>, names: string[]): PatternParam {
  const colon = inner.indexOf(':');
  const converterName = colon === -1 ? 'str' : inner.slice(0, colon);
  const name = colon === -1 ? inner : inner.slice(colon + 1);
  if (!IDENTIFIER_RE.test(name) || !IDENTIFIER_RE.test(converterName)) {
    throw new ImproperlyConfigured(
      `Route pattern '${pattern}' has an invalid parameter '<${inner}>'; write <converter:name> with identifiers and no spaces, e.g. <int:id>.`,
    );
  }
  const converter = converters.get(converterName);
  if (converter === undefined) {
    throw new ImproperlyConfigured(
      `Route pattern '${pattern}' uses unknown converter '${converterName}' in '<${inner}>'; known converters: ${[...converters.keys()].join(', ')}. ` +
        'Register custom ones with new Router(routes, { converters: { name: converter } }).',
    );
  }
  if (name === '__proto__') {
    throw new ImproperlyConfigured(`Route pattern '${pattern}' names a parameter '__proto__', which would replace the params object's prototype; choose another name.`);
  }
  if (names.includes(name)) {
    throw new ImproperlyConfigured(`Route pattern '${pattern}' uses the parameter name '${name}' twice; give each parameter its own name.`);
  }
  names.push(name);
  return { name, converter };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Build the regex of a segment that mixes text and converters, as Django would for the whole path. */
function compileCompound(pattern: string, text: string, parts: readonly (string | PatternParam)[]): PatternSegment {
  let source = '^';
  let key = '';
  let group = 0;
  for (const part of parts) {
    if (typeof part === 'string') {
      source += escapeRegex(part);
      key += part;
      continue;
    }
    const { converter, name } = part;
    if (converter.spansSegments) {
      throw new ImproperlyConfigured(
        `Route pattern '${pattern}' puts '<${converter.name}:${name}>' next to other text in the segment '${text}'; ` +
          `a converter whose values contain '/' must fill whole segments (e.g. 'files/<${converter.name}:${name}>').`,
      );
    }
    if (converter.regexSource === null) {
      throw new ImproperlyConfigured(
        `Route pattern '${pattern}' uses converter '${converter.name}' inside the segment '${text}', which needs the converter's regex; give it a regex as well as match().`,
      );
    }
    // Named groups keep the converter's own capturing groups from shifting ours.
    source += `(?<p${group++}>${converter.regexSource})`;
    key += `<${converter.name}>`;
  }
  return { kind: 'compound', parts, regex: new RegExp(source + '$'), key };
}

/** Characters Django leaves unescaped in reversed URLs besides unreserved ones: RFC 3986 sub-delims and ':' '@'. */
const SAFE_ESCAPES = /%(?:24|26|2B|2C|3B|3D|3A|40)/g;
const PLAIN = /^[A-Za-z0-9\-._~]*$/;

/** Percent-encode one piece of path text; '/' too unless `keepSlash` (the path converter). */
export function encodePathText(text: string, keepSlash: boolean): string {
  if (PLAIN.test(text)) return text;
  let encoded = encodeURIComponent(text).replace(SAFE_ESCAPES, decodeURIComponent);
  if (keepSlash) encoded = encoded.replace(/%2F/g, '/');
  return encoded;
}

/** Why building a URL failed; the router turns it into NoReverseMatch naming the route. */
export class ReverseFailure {
  constructor(readonly reason: string) {}
}

/**
 * The URL (starting with '/') of a parsed pattern for `params`, or a
 * ReverseFailure. Each value goes through the converter's toUrl(), is
 * checked against the converter (as Django does), then percent-encoded.
 */
export function buildRoutePath(parsed: ParsedPattern, params: Readonly<Record<string, unknown>>): string | ReverseFailure {
  for (const key of Object.keys(params)) {
    if (params[key] !== undefined && !parsed.paramNames.includes(key)) {
      const expected = parsed.paramNames.length > 0 ? `it takes ${parsed.paramNames.join(', ')}` : 'it takes no parameters';
      return new ReverseFailure(`unexpected parameter '${key}' (${expected})`);
    }
  }
  let url = '';
  for (const segment of parsed.segments) {
    let piece: string | ReverseFailure;
    try {
      piece = segmentText(segment, params);
    } catch {
      // encodeURIComponent refuses lone surrogates.
      return new ReverseFailure('a parameter value is not well-formed Unicode text');
    }
    if (piece instanceof ReverseFailure) return piece;
    url += '/' + escapeDotSegment(piece);
  }
  // A leading '//' would make the URL scheme-relative (another host).
  if (url.startsWith('//')) url = '/%2F' + url.slice(2);
  return url;
}

function segmentText(segment: PatternSegment, params: Readonly<Record<string, unknown>>): string | ReverseFailure {
  switch (segment.kind) {
    case 'static':
      return encodePathText(segment.text, false);
    case 'param': {
      const text = paramText(segment.param, params);
      return typeof text === 'string' ? encodePathText(text, false) : text;
    }
    case 'span': {
      const text = paramText(segment.param, params);
      if (typeof text !== 'string') return text;
      const encoded = encodePathText(text, true);
      return encoded.includes('.') ? encoded.split('/').map(escapeDotSegment).join('/') : encoded;
    }
    case 'compound':
      return compoundText(segment, params);
  }
}

/** Dot segments would be removed by clients (RFC 3986 5.2.4); escape them so the URL survives. */
function escapeDotSegment(piece: string): string {
  return piece === '.' || piece === '..' ? piece.replace(/\./g, '%2E') : piece;
}

function paramText(param: PatternParam, params: Readonly<Record<string, unknown>>): string | ReverseFailure {
  const { name, converter } = param;
  const value = params[name];
  if (value === undefined || value === null) return new ReverseFailure(`missing parameter '${name}' (<${converter.name}:${name}>)`);
  let text: unknown;
  try {
    text = converter.toUrl(value);
  } catch (error) {
    return new ReverseFailure(`invalid value ${show(value)} for parameter '${name}' (<${converter.name}:${name}>): ${(error as Error).message}`);
  }
  if (typeof text !== 'string' || !converter.test(text) || (!converter.spansSegments && text.includes('/'))) {
    return new ReverseFailure(`invalid value ${show(value)} for parameter '${name}': it does not match the '${converter.name}' converter`);
  }
  return text;
}

function compoundText(segment: Extract<PatternSegment, { kind: 'compound' }>, params: Readonly<Record<string, unknown>>): string | ReverseFailure {
  let raw = '';
  let encoded = '';
  for (const part of segment.parts) {
    const text = typeof part === 'string' ? part : paramText(part, params);
    if (text instanceof ReverseFailure) return text;
    raw += text;
    encoded += encodePathText(text, false);
  }
  if (!segment.regex.test(raw)) {
    return new ReverseFailure(`the values give the segment '${raw}', which does not match its pattern`);
  }
  return encoded;
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return Object.prototype.toString.call(value);
}
