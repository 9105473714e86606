import { InvalidCacheKey } from '../errors.js';

/** Longest key memcached accepts (its protocol limit); other backends warn past it. */
export const MEMCACHED_MAX_KEY_LENGTH = 250;

/**
 * A user key: a non-empty string, or an integer (an id), which is stored
 * under its decimal string as Django's `str(key)` would: `5` and `'5'` are
 * the same entry.
 */
export type CacheKey = string | number;

/** Turns a user key (an integer key as its decimal string), prefix and version into the stored key. */
export type KeyFunction = (key: string, prefix: string, version: number) => string;

/**
 * Django's default: `prefix:version:key`, so changing KEY_PREFIX or VERSION
 * makes every old entry unreachable at once.
 * @example defaultKeyFunction('sidebar', 'site', 2) // 'site:2:sidebar'
 */
export const defaultKeyFunction: KeyFunction = (key, prefix, version) => `${prefix}:${version}:${key}`;

/**
 * Why `key` would break on memcached (the strictest backend), or null:
 * more than 250 bytes, or a control character or space (memcached's text
 * protocol splits on them). Django raises CacheKeyWarning for the same.
 */
export function cacheKeyProblem(key: string): string | null {
  // A UTF-16 unit is at most 3 UTF-8 bytes, so short keys need no byte count.
  const bytes = key.length * 3 <= MEMCACHED_MAX_KEY_LENGTH ? 0 : Buffer.byteLength(key);
  if (bytes > MEMCACHED_MAX_KEY_LENGTH) {
    return `Cache key is ${bytes} bytes, over memcached's ${MEMCACHED_MAX_KEY_LENGTH}; hash long parts of it (e.g. createHash('sha256')).`;
  }
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i);
    if (code <= 32 || code === 127) {
      return `Cache key ${JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key)} contains a space or control character (code ${code}) at ${i}, which memcached cannot store; hash or encode that part.`;
    }
  }
  return null;
}

/** Refuse what no backend can use as a key: anything but a non-empty string or a safe integer. */
export function assertCacheKey(key: unknown): asserts key is CacheKey {
  if (typeof key === 'string' ? key.length > 0 : Number.isSafeInteger(key)) return;
  const got = key === '' ? "''" : typeof key === 'number' ? String(key) : typeof key;
  throw new InvalidCacheKey(`A cache key must be a non-empty string or an integer (an id); got ${got}.`);
}

/**
 * A namespace's name, refused when a namespace's keys could meet other keys:
 * empty, with a ':' or a control character, or an integer (a namespace
 * `prefix:5` would sit where VERSION 5's keys of `prefix` do).
 */
export function assertNamespaceName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || /^-?\d+$/.test(name) || /[:\s\x00-\x1f\x7f]/.test(name)) {
    const got = typeof name === 'string' ? JSON.stringify(name) : typeof name;
    throw new InvalidCacheKey(`A cache namespace must be a non-empty name without ':' or spaces that is not an integer (e.g. 'world'); got ${got}.`);
  }
}
