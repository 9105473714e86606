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

/**
 * True when a shallow copy of `value` (decoded plain JSON) is a private
 * copy: a primitive, or an object or array whose members are all
 * primitives (a database row). The locmem store works it out once per
 * entry, so each read of such a value skips copyPlainJson's walk.
 * @example isShallowJson({ id: 1, name: 'a' }) // true; isShallowJson({ tags: [] }) // false
 */
export function isShallowJson(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null) return false;
    }
    return true;
  }
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    if (typeof item === 'object' && item !== null) return false;
  }
  return true;
}

/** copyPlainJson() of a value isShallowJson() said yes to: one slice or spread, no walk. */
export function copyShallowJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  // The spread defines own properties, so a '__proto__' key stays data, as in copyPlainJson.
  return Array.isArray(value) ? value.slice() : { ...(value as Record<string, unknown>) };
}

/** Makes a reader's private copy of one decoded value. */
export type JsonCopier = (value: unknown) => unknown;

/** Most distinct object shapes that get a generated copier (values with arbitrary keys must not grow this forever). */
const MAX_COPIERS = 256;
/** Most keys of an object that gets a generated copier. */
const MAX_COPIER_KEYS = 32;
/** Generated copiers by shape: the object's keys in order, JSON-quoted. */
const copiers = new Map<string, JsonCopier>();

/**
 * How to copy `value` (decoded plain JSON) for each reader, chosen once per
 * cached entry: copyPlainJson for nested values, copyShallowJson for other
 * flat ones, and for a flat object (a database row) a function generated
 * per shape that returns an object literal with its keys: V8 builds that
 * inline (~20 instructions) where a spread calls its object-clone builtin
 * (~120) on every read (issue #10). Only JSON-quoted keys go into the
 * generated source; a `__proto__` key, which an object literal would turn
 * into the prototype, gets the spread.
 * @example copierFor({ id: 1, name: 'a' })({ id: 1, name: 'a' }) // a new { id: 1, name: 'a' }
 */
export function copierFor(value: unknown): JsonCopier {
  if (!isShallowJson(value)) return copyPlainJson;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return copyShallowJson;
  const keys = Object.keys(value);
  if (keys.length === 0 || keys.length > MAX_COPIER_KEYS || keys.includes('__proto__')) return copyShallowJson;
  const shape = keys.map((key) => JSON.stringify(key)).join(',');
  let copier = copiers.get(shape);
  if (copier === undefined) {
    if (copiers.size >= MAX_COPIERS) return copyShallowJson;
    const fields = keys.map((key) => `${JSON.stringify(key)}: value[${JSON.stringify(key)}]`);
    try {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      copier = new Function(`"use strict"; return function copyRow(value) { return { ${fields.join(', ')} }; };`)() as JsonCopier;
    } catch {
      // Code generation is disallowed (--disallow-code-generation-from-strings).
      copier = copyShallowJson;
    }
    copiers.set(shape, copier);
  }
  return copier;
}
