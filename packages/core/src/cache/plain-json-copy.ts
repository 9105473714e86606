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
    const out = value.slice();
    for (let i = 0; i < out.length; i++) {
      const item: unknown = out[i];
      if (typeof item === 'object' && item !== null) out[i] = copyPlainJson(item);
    }
    return out;
  }
  // A spread copies own properties in V8's fast clone path (about 3x a key-by-key copy); it
  // defines them, so a '__proto__' key from JSON.parse stays data and the assignment below,
  // meeting that own property, replaces it instead of setting the prototype.
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key in out) {
    const item = out[key];
    // for-in also walks inherited enumerable keys (a polluted Object.prototype): copy own ones only.
    if (typeof item === 'object' && item !== null && Object.hasOwn(out, key)) out[key] = copyPlainJson(item);
  }
  return out;
}
