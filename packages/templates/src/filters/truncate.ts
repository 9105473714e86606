import { copySafeness, toText, type SafeHtml } from '../safe-html.js';
import { integerArgument } from './template-filter.js';

const ELLIPSIS = '\u2026';

/**
 * Django's `truncatewords`: keep the first `count` words (whitespace-separated),
 * joined by single spaces, and add ' …' when words were dropped. Stops scanning
 * after `count + 1` words, so a huge input costs no more than its first words.
 * @example {{ 'Joel is a slug' | truncatewords(2) }}  -> 'Joel is …'
 */
export function truncatewords(value: unknown, count: unknown): string | SafeHtml {
  const limit = integerArgument(count);
  const text = toText(value);
  if (limit === null) return copySafeness(value, text);
  const words: string[] = [];
  const pattern = /\S+/g;
  let truncated = false;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (words.length >= limit) {
      truncated = true;
      break;
    }
    words.push(match[0]);
  }
  const kept = words.join(' ');
  return copySafeness(value, truncated ? `${kept} ${ELLIPSIS}` : kept);
}

/**
 * Django's `truncatechars`: at most `count` characters (code points, after NFC),
 * the last one an ellipsis when the text was cut.
 * @example {{ 'Joel is a slug' | truncatechars(7) }}  -> 'Joel i…'
 */
export function truncatechars(value: unknown, count: unknown): string | SafeHtml {
  const limit = integerArgument(count);
  const text = toText(value);
  if (limit === null) return copySafeness(value, text);
  if (limit <= 0) return copySafeness(value, '');
  // Normalise only a prefix: it is all that can be kept, and it bounds the work.
  const raw = text.slice(0, limit * 4 + 4);
  const head = raw.normalize('NFC');
  const kept: string[] = [];
  for (const char of head) {
    if (kept.length > limit) break;
    kept.push(char);
  }
  const cut = kept.length > limit || raw.length < text.length;
  if (!cut) return copySafeness(value, head);
  // Ellipsis counts towards the limit, as in Django.
  return copySafeness(value, kept.slice(0, limit - 1).join('') + ELLIPSIS);
}
