import { toText } from '../safe-html.js';

/**
 * Django's `slugify`: ASCII only (accents dropped after NFKD), lower case,
 * characters other than letters, digits, '_' and '-' removed, runs of spaces
 * and hyphens made one '-', leading and trailing '-' and '_' stripped.
 * @example {{ ' Joel is a slug ' | slugify }}  -> 'joel-is-a-slug'
 */
export function slugify(value: unknown): string {
  const slug = toText(value)
    .normalize('NFKD')
    .replace(/[^\x00-\x7f]/g, '')
    .toLowerCase()
    .replace(/[^\w\s-]/g, '')
    .replace(/[-\s]+/g, '-');
  // A loop, not /[-_]+$/: that regex is quadratic on a long run of '_' followed by a letter.
  let start = 0;
  let end = slug.length;
  while (start < end && (slug[start] === '-' || slug[start] === '_')) start++;
  while (end > start && (slug[end - 1] === '-' || slug[end - 1] === '_')) end--;
  return slug.slice(start, end);
}
