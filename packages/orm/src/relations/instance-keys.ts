import { ForeignKey } from '../fields/relation-fields.js';
import type { AnyModel } from '../model/model.js';

/** Instance property holding the primary key (`id`, or `<name>Id` for a one-to-one primary key). */
export function pkAttname(model: AnyModel): string {
  const pk = model.meta.pk;
  return pk instanceof ForeignKey ? pk.attname : pk.name;
}

/** The primary-key value of an instance (undefined before it is saved). */
export function pkOf(instance: object, model: AnyModel): unknown {
  return (instance as Record<string, unknown>)[pkAttname(model)];
}

/**
 * Map key for a key value. Drivers may return a bigint or an int8 as a
 * string where the instance holds a number, so keys compare as strings.
 */
export function keyOf(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/** Split a list so each IN (...) stays below the dialect's bound-parameter limit. */
export function chunks<T>(items: readonly T[], dialect: 'sqlite' | 'postgres'): T[][] {
  // SQLite allows 32766 parameters per statement, PostgreSQL 65535; leave room for the query's other parameters.
  const size = dialect === 'sqlite' ? 30_000 : 60_000;
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Distinct non-null values, first occurrence kept. */
export function distinctKeys(values: Iterable<unknown>): unknown[] {
  const seen = new Map<string, unknown>();
  for (const value of values) {
    if (value === null || value === undefined) continue;
    const key = keyOf(value);
    if (!seen.has(key)) seen.set(key, value);
  }
  return [...seen.values()];
}
