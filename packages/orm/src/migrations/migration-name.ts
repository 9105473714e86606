import type { Operation } from './operations/operation.js';

const MAX_NAME = 52;

/**
 * The descriptive part of a generated migration's name (after the number):
 * 'initial' for an app's first migration, else the operations' fragments
 * joined ('add_post_slug_remove_post_body'), '<first>_and_more' when too long,
 * and 'auto_<timestamp>' when an operation has no fragment (RunSQL, RunCode).
 * @example
 * suggestMigrationName([ops.addField({ model: 'Post', name: 'slug', field: f.slug() }).bind('blog')], false); // 'add_post_slug'
 */
export function suggestMigrationName(operations: readonly Operation[], initial: boolean, now: Date = new Date()): string {
  if (initial) return 'initial';
  const fragments = operations.map((operation) => operation.nameFragment()).filter((fragment): fragment is string => fragment !== null);
  if (fragments.length === 0 || fragments.length !== operations.length) return `auto_${timestamp(now)}`;
  const clean = fragments.map((fragment) => fragment.replace(/\W+/g, '_'));
  let name = clean[0]!;
  for (const fragment of clean.slice(1)) {
    const longer = `${name}_${fragment}`;
    if (longer.length > MAX_NAME) return `${name}_and_more`;
    name = longer;
  }
  return name;
}

function timestamp(now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}_${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}`;
}

/** The number a migration name starts with ('0002_add_slug' -> 2), or null. */
export function migrationNumber(name: string): number | null {
  const match = /^(\d+)_/.exec(name);
  return match ? Number(match[1]) : null;
}
