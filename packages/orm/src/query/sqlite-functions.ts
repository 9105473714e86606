import type Database from 'better-sqlite3';
import { hasNestedQuantifier, MAX_REGEX_INPUT, MAX_REGEX_PATTERN } from '../db/sqlite-regexp.js';

const registered = new WeakSet<Database.Database>();
const cache = new Map<string, RegExp>();

/**
 * Functions the query compiler uses on SQLite so results match PostgreSQL:
 * `atrium_lower` lower-cases all of Unicode (SQLite's lower() only ASCII),
 * `atrium_iregexp(pattern, value)` is PostgreSQL's `~*`. Registered once
 * per database handle.
 */
export function registerSqliteFunctions(database: Database.Database): void {
  if (registered.has(database)) return;
  database.function('atrium_lower', { deterministic: true }, (value: unknown) => (value === null || value === undefined ? null : String(value).toLowerCase()));
  database.function('atrium_iregexp', { deterministic: true }, (pattern: unknown, value: unknown) => {
    if (pattern === null || value === null || pattern === undefined || value === undefined) return null;
    const text = String(value);
    if (text.length > MAX_REGEX_INPUT) throw new Error(`iregex lookup: value of ${text.length} characters exceeds ${MAX_REGEX_INPUT}`);
    return compile(String(pattern)).test(text) ? 1 : 0;
  });
  registered.add(database);
}

function compile(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re) return re;
  if (pattern.length > MAX_REGEX_PATTERN) throw new Error(`iregex lookup: pattern longer than ${MAX_REGEX_PATTERN} characters`);
  if (hasNestedQuantifier(pattern)) throw new Error(`iregex lookup: pattern ${JSON.stringify(pattern)} nests quantifiers (like '(a+)+'), which can take exponential time; rewrite it`);
  try {
    re = new RegExp(pattern, 'iu');
  } catch {
    try {
      re = new RegExp(pattern, 'i');
    } catch (error) {
      throw new Error(`iregex lookup: invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`);
    }
  }
  if (cache.size >= 256) cache.delete(cache.keys().next().value!);
  cache.set(pattern, re);
  return re;
}
