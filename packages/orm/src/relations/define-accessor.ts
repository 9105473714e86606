import { ImproperlyConfigured } from '@atrium/core';

/** Accessor names this module installed, per prototype (they may be replaced when models are re-declared). */
const installed = new WeakMap<object, Set<string>>();

/**
 * Install a getter (and optional setter) on an instance prototype. Refuses
 * to shadow anything else instances already have (`save`, `pk`, a column),
 * because the relation would silently hide it.
 */
export function defineAccessor(
  prototype: object,
  name: string,
  accessor: { get(this: object): unknown; set?(this: object, value: unknown): void },
  what: string,
): void {
  let names = installed.get(prototype);
  if (!names) {
    names = new Set();
    installed.set(prototype, names);
  }
  if (name in prototype && !names.has(name)) {
    throw new ImproperlyConfigured(`${what} is named '${name}', which instances already have; pass another relatedName.`);
  }
  Object.defineProperty(prototype, name, { configurable: true, enumerable: false, ...accessor });
  names.add(name);
}
