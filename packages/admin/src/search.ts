import { Q } from '@atrium/orm';

/** The longest search the changelist runs (words beyond are ignored), so a huge query cannot build a huge SQL statement. */
const MAX_WORDS = 10;

/** `{ author: { name: { icontains: 'x' } } }` from 'author.name', 'icontains', 'x'. */
function nested(path: string, lookup: string, value: string): Record<string, unknown> {
  const parts = path.split('.');
  let condition: Record<string, unknown> = { [parts[parts.length - 1]!]: lookup === 'exact' ? value : { [lookup]: value } };
  for (const part of parts.slice(0, -1).reverse()) condition = { [part]: condition };
  return condition;
}

/**
 * The search condition of a changelist, as Django's: each word must match
 * (AND), in any of the fields (OR); '^field' is "starts with", '=field' is
 * "equals", a plain field is "contains" (all case-insensitive).
 * @example searchCondition(['^title', 'author.name'], 'ann orm')
 */
export function searchCondition(fields: readonly string[], term: string): unknown[] {
  // A NUL byte cannot be sent to PostgreSQL in a text parameter; it matches nothing anyway.
  const words = term.replace(/\0/g, '').trim().split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);
  if (fields.length === 0) return [];
  return words.map((word) =>
    Q.or(
      ...fields.map((entry) => {
        if (entry.startsWith('^')) return nested(entry.slice(1), 'istartswith', word);
        if (entry.startsWith('=')) return nested(entry.slice(1), 'iexact', word);
        return nested(entry, 'icontains', word);
      }),
    ),
  );
}
