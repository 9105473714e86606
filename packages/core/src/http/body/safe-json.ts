/** Keys that reach Object.prototype when a parsed object is later merged or assigned. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * JSON.parse that drops `__proto__`, `constructor` and `prototype` keys at any
 * depth, so the result is safe to spread, merge or `Object.assign` from.
 *
 * The reviver costs a second walk, so it only runs when the text could hold
 * such a key: the name literally, or a `\u` escape that could spell it.
 * Throws JSON.parse's SyntaxError (with its position) when malformed.
 * @example parseJsonSafely('{"__proto__":{"admin":true},"a":1}') // { a: 1 }
 */
export function parseJsonSafely(text: string): unknown {
  if (!/__proto__|constructor|prototype|\\u/.test(text)) return JSON.parse(text);
  return JSON.parse(text, (key: string, value: unknown) => (FORBIDDEN_KEYS.has(key) ? undefined : value));
}
