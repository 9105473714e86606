/**
 * A private copy of a value decoded from plain JSON (objects, arrays,
 * strings, numbers, booleans, null), as JSON.parse of its text would give
 * it, at a fraction of the cost: the locmem cache keeps values decoded and
 * hands each reader its own copy, so mutating what `get()` returned never
 * changes the cached value (Django's locmem unpickles per read for the same reason).
 * @example const mine = copyPlainJson(stored); mine.tags.push('new'); // stored is unchanged
 */
export function copyPlainJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyPlainJson(value[i]);
    return out;
  }
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const keys = Object.keys(source);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    // JSON.parse makes '__proto__' an own property; an assignment would set the prototype instead.
    if (key === '__proto__') Object.defineProperty(out, key, { value: copyPlainJson(source[key]), enumerable: true, writable: true, configurable: true });
    else out[key] = copyPlainJson(source[key]);
  }
  return out;
}
