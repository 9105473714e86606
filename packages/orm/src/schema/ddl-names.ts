import { createHash } from 'node:crypto';

/** PostgreSQL truncates identifiers to 63 bytes; longer names would collide silently. */
const MAX_IDENTIFIER = 63;

/**
 * A constraint or index name that fits both databases: names longer than 63
 * bytes are cut and end with a hash of the full name, so two long names
 * sharing a prefix stay distinct (Django does the same).
 */
export function ddlName(name: string): string {
  if (Buffer.byteLength(name) <= MAX_IDENTIFIER) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  let cut = name.slice(0, MAX_IDENTIFIER - 9);
  while (Buffer.byteLength(cut) > MAX_IDENTIFIER - 9) cut = cut.slice(0, -1);
  return `${cut}_${hash}`;
}

/** `blog_post_author_id_fkey` (PostgreSQL's own naming style). */
export function foreignKeyName(table: string, column: string): string {
  return ddlName(`${table}_${column}_fkey`);
}

/** `blog_post_slug_key` for a single unique field. */
export function uniqueName(table: string, column: string): string {
  return ddlName(`${table}_${column}_key`);
}

/** `blog_post_title_idx` for a field with `index: true` (and foreign keys). */
export function indexName(table: string, column: string): string {
  return ddlName(`${table}_${column}_idx`);
}
