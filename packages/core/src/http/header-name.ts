/** Names lower-cased so far; bounded, since a program could pass names it builds at run time. */
const lowered = new Map<string, string>();
const MAX_CACHED_NAMES = 512;

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
    if (lowered.size < MAX_CACHED_NAMES) lowered.set(name, lower);
  }
  return lower;
}
