/**
 * Names lower-cased so far. Bounded in count and in name length: a program
 * could pass names it builds at run time (even from request data), and
 * those must not pin memory.
 */
const lowered = new Map<string, string>();
const MAX_CACHED_NAMES = 512;
const MAX_CACHED_NAME_LENGTH = 64;

/**
 * `name.toLowerCase()`, remembered: a program uses a few dozen header names,
 * written as literals, and a Map lookup of a literal (its hash is stored with
 * it) costs a fraction of the builtin, which V8 does not inline and which
 * runs several times per request (each `headers.set()`, `request.header()`).
 * @example lowerHeaderName('Content-Type') // 'content-type'
 */
export function lowerHeaderName(name: string): string {
  let lower = lowered.get(name);
  if (lower === undefined) {
    lower = name.toLowerCase();
    if (lowered.size < MAX_CACHED_NAMES && name.length <= MAX_CACHED_NAME_LENGTH) lowered.set(name, lower);
  }
  return lower;
}
