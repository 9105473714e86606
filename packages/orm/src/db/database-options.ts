import { ImproperlyConfigured } from '@atrium/core';
import { didYouMean } from '../naming.js';

type OptionSpec =
  | { type: 'number'; default?: number; min?: number }
  | { type: 'string'; default?: string; oneOf?: readonly string[] }
  | { type: 'boolean'; default?: boolean }
  | { type: 'unknown' };

/**
 * Validate `DATABASES[alias].OPTIONS` against the keys a driver understands,
 * at start-up: an unknown or mistyped key names the alias, the key and the
 * closest known key instead of being silently ignored.
 */
export function readOptions<T>(alias: string, raw: Readonly<Record<string, unknown>>, spec: Record<keyof T & string, OptionSpec>): T {
  const out: Record<string, unknown> = {};
  const known = Object.keys(spec);
  for (const key of Object.keys(raw)) {
    if (!(key in spec)) {
      throw new ImproperlyConfigured(`DATABASES['${alias}'].OPTIONS has unknown key '${key}'${didYouMean(key, known)}. Known keys: ${known.join(', ')}.`);
    }
  }
  for (const [key, rule] of Object.entries(spec) as Array<[string, OptionSpec]>) {
    const value = raw[key];
    if (value === undefined) {
      if ('default' in rule && rule.default !== undefined) out[key] = rule.default;
      continue;
    }
    const where = `DATABASES['${alias}'].OPTIONS.${key}`;
    if (rule.type === 'number') {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < (rule.min ?? 0)) {
        throw new ImproperlyConfigured(`${where} must be a number >= ${rule.min ?? 0}, got ${JSON.stringify(value)}.`);
      }
    } else if (rule.type === 'string') {
      if (typeof value !== 'string' || (rule.oneOf && !rule.oneOf.includes(value.toLowerCase()))) {
        throw new ImproperlyConfigured(`${where} must be ${rule.oneOf ? `one of ${rule.oneOf.join(', ')}` : 'a string'}, got ${JSON.stringify(value)}.`);
      }
    } else if (rule.type === 'boolean' && typeof value !== 'boolean') {
      throw new ImproperlyConfigured(`${where} must be true or false, got ${JSON.stringify(value)}.`);
    }
    out[key] = rule.type === 'string' && rule.oneOf ? (value as string).toLowerCase() : value;
  }
  return out as T;
}
