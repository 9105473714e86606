import type { HttpRequest } from '../request.js';
import { UnsupportedMediaType } from '../../errors.js';

/** A parsed `Content-Type`: lower-cased `type/subtype` and lower-cased parameter names. */
export interface MediaType {
  readonly type: string;
  readonly params: ReadonlyMap<string, string>;
}

const TOKEN_CHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

/**
 * Parse a media type strictly by RFC 9110 §8.3.1 (token `/` token, then
 * `; name=value` with token or quoted-string values), so that an odd header
 * can never be read as a different type by a sloppier split. Returns null
 * when malformed, including a parameter given twice (which one would a
 * downstream parser believe?).
 * @example parseMediaType('Multipart/Form-Data; boundary="a b"') // { type: 'multipart/form-data', params: Map { boundary => 'a b' } }
 */
export function parseMediaType(header: string): MediaType | null {
  let i = 0;
  const token = (): string => {
    const start = i;
    while (i < header.length && TOKEN_CHAR.test(header[i]!)) i++;
    return header.slice(start, i);
  };
  const skipSpace = (): void => {
    while (header[i] === ' ' || header[i] === '\t') i++;
  };

  skipSpace();
  const type = token();
  if (type === '' || header[i] !== '/') return null;
  i++;
  const subtype = token();
  if (subtype === '') return null;
  const params = new Map<string, string>();
  for (;;) {
    skipSpace();
    if (i === header.length) break;
    if (header[i] !== ';') return null;
    i++;
    skipSpace();
    if (i === header.length || header[i] === ';') continue;
    const name = token().toLowerCase();
    if (name === '' || header[i] !== '=') return null;
    i++;
    const value = header[i] === '"' ? quotedString() : token();
    if (value === null || (value === '' && header[i - 1] !== '"')) return null;
    if (params.has(name)) return null;
    params.set(name, value);
  }
  return { type: `${type}/${subtype}`.toLowerCase(), params };

  function quotedString(): string | null {
    let out = '';
    for (i++; i < header.length; i++) {
      const c = header[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') i++;
      if (i >= header.length || /[\x00-\x08\x0a-\x1f\x7f]/.test(header[i]!)) return null;
      out += header[i];
    }
    return null;
  }
}

/** The request's media type; 415 when the header is missing or malformed. */
export function requestMediaType(request: HttpRequest, expected: string): MediaType {
  const header = request.header('content-type');
  if (header === undefined || header.trim() === '') {
    throw new UnsupportedMediaType(`The request has no Content-Type header; send ${expected}`);
  }
  const mediaType = parseMediaType(header);
  if (mediaType === null) {
    throw new UnsupportedMediaType(`Malformed Content-Type ${quoteForMessage(header)}; send ${expected}`);
  }
  return mediaType;
}

/**
 * Refuse a `charset` other than UTF-8: the text parsers decode UTF-8 only
 * (RFC 8259 §8.1 makes it the only JSON encoding; browsers send forms in it).
 */
export function assertUtf8(mediaType: MediaType): void {
  const charset = mediaType.params.get('charset')?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
    throw new UnsupportedMediaType(`Unsupported charset ${quoteForMessage(charset)} for ${mediaType.type}; send the body as UTF-8`);
  }
}

/** A header value quoted for an error message, short and with control characters escaped. */
export function quoteForMessage(value: string): string {
  const short = value.length > 100 ? `${value.slice(0, 97)}...` : value;
  return JSON.stringify(short).replace(/^"|"$/g, "'");
}
