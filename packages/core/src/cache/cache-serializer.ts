import { CacheValueError } from '../errors.js';

/** Property that marks an encoded non-JSON value in the stored text. */
const TAG = '$atrium';

type Tagged =
  | { $atrium: 'date'; v: string }
  | { $atrium: 'bytes'; v: string }
  | { $atrium: 'bigint'; v: string }
  | { $atrium: 'object'; v: Array<[string, unknown]> };

/**
 * Encode a value as JSON text, keeping Date, Buffer/Uint8Array and bigint
 * (tagged objects). Never code: decoding is JSON.parse plus a reviver, so a
 * tampered cache entry can at worst yield wrong data, never run anything.
 * Integers encode as bare digits, which Redis INCRBY and memcached incr
 * understand, so counters stay atomic on the server.
 * @example serializeCacheValue({ at: new Date(0) }) // '{"at":{"$atrium":"date","v":"1970-01-01T00:00:00.000Z"}}'
 */
export function serializeCacheValue(value: unknown): string {
  if (value === undefined) {
    throw new CacheValueError('Cannot cache undefined: a get() miss is undefined, so it could not be told apart; cache null instead.');
  }
  // Fast path for the common counter and text values.
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  // Plain data (rows, lists, what JSON.parse gives) encodes the same without the replacer, which
  // JSON.stringify calls back for every property: about 4x faster for a small row.
  if (isPlainData(value, 0)) return JSON.stringify(value);
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, encoded: unknown): unknown {
    // JSON.stringify has already called toJSON (Date, Buffer); look at the original.
    const original = this[key];
    if (original instanceof Date) return { [TAG]: 'date', v: Number.isNaN(original.getTime()) ? 'invalid' : original.toISOString() };
    if (original instanceof Uint8Array) return { [TAG]: 'bytes', v: Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString('base64') };
    if (typeof original === 'bigint') return { [TAG]: 'bigint', v: original.toString() };
    if (typeof original === 'function' || typeof original === 'symbol') {
      throw new CacheValueError(`Cannot cache a ${typeof original}${key ? ` (at key '${key}')` : ''}; cache plain data (JSON, Date, Buffer, bigint).`);
    }
    // A user object that itself has the tag property is wrapped, so it decodes as itself.
    if (encoded !== null && typeof encoded === 'object' && !Array.isArray(encoded) && Object.prototype.hasOwnProperty.call(encoded, TAG)) {
      return { [TAG]: 'object', v: Object.entries(encoded) };
    }
    return encoded;
  });
}

/** Deepest nesting the plain-data check follows; deeper values (and cycles) take the replacer path. */
const PLAIN_DEPTH = 32;

/**
 * True when JSON.stringify alone encodes `value` as the replacer would: plain
 * objects (Object.prototype or null prototype, no toJSON, no key named
 * $atrium) and arrays, nested, holding strings, numbers, booleans and null.
 */
function isPlainData(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return true;
  if (typeof value !== 'object' || depth >= PLAIN_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isPlainData(value[i], depth + 1)) return false;
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  const record = value as Record<string, unknown>;
  if (record['toJSON'] !== undefined) return false;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    if (key === TAG || !isPlainData(record[key], depth + 1)) return false;
  }
  return true;
}

/** Decode text made by serializeCacheValue. Throws SyntaxError on text it did not make. */
export function deserializeCacheValue(text: string): unknown {
  if (isPlainJsonText(text)) return JSON.parse(text);
  return JSON.parse(text, (_key, value: unknown) => (isTagged(value) ? decodeTagged(value) : value));
}

/** True when `text` holds no tagged value, so JSON.parse alone decodes it (to plain objects, arrays and primitives). */
export function isPlainJsonText(text: string): boolean {
  return !text.includes(TAG);
}

function isTagged(value: unknown): value is Tagged {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as Record<string, unknown>)[TAG] === 'string' && 'v' in value;
}

function decodeTagged(value: Tagged): unknown {
  switch (value.$atrium) {
    case 'date':
      return new Date(value.v === 'invalid' ? Number.NaN : value.v);
    case 'bytes':
      return Buffer.from(value.v, 'base64');
    case 'bigint':
      return BigInt(value.v);
    case 'object': {
      // Define properties (not assign), so a '__proto__' entry stays an own key.
      const out: Record<string, unknown> = {};
      for (const [k, v] of value.v) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      return out;
    }
    default:
      return value;
  }
}
