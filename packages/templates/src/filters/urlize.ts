import { escapeHtml, isSafe, markSafe, toText, type SafeHtml } from '../safe-html.js';

// Django's MAX_URL_LENGTH: longer words are never linked, which also bounds
// the work done per word.
const MAX_URL_LENGTH = 2048;
const MAX_WORD_LENGTH = MAX_URL_LENGTH + 64;
const TRAILING_PUNCTUATION = '.,:;!';
const WRAPPERS: ReadonlyArray<readonly [string, string]> = [
  ['(', ')'],
  ['[', ']'],
];

/**
 * Django's `urlize`: turn http(s) URLs, `www.` addresses, bare domains
 * ending in .com/.org/... and e-mail addresses into links with
 * rel="nofollow". The text around them is escaped (unless it is already safe
 * HTML). Linear in the input: words are split once, trimmed with counters
 * instead of re-scanning, and words over 2,048 characters are left as text.
 * @example {{ 'See www.example.com.' | urlize }}
 *   -> 'See <a href="http://www.example.com" rel="nofollow">www.example.com</a>.'
 */
export function urlize(value: unknown): SafeHtml {
  const safeInput = isSafe(value);
  const asHtml = (text: string): string => (safeInput ? text : escapeHtml(text));
  // Split on whitespace and on characters that cannot be part of a URL here.
  const words = toText(value).split(/([\s<>"']+)/);
  for (let i = 0; i < words.length; i += 2) {
    words[i] = linkWord(words[i]!, safeInput, asHtml);
  }
  for (let i = 1; i < words.length; i += 2) words[i] = asHtml(words[i]!);
  return markSafe(words.join(''));
}

function linkWord(word: string, safeInput: boolean, asHtml: (text: string) => string): string {
  if (word.length > MAX_WORD_LENGTH || !/[.@:]/.test(word)) return asHtml(word);
  const { lead, middle, trail } = trimPunctuation(word, safeInput);
  const href = middle.length <= MAX_URL_LENGTH ? linkTarget(safeInput ? unescapeEntities(middle) : middle) : null;
  if (href === null) return asHtml(word);
  return `${asHtml(lead)}<a href="${escapeHtml(href)}" rel="nofollow">${asHtml(middle)}</a>${asHtml(trail)}`;
}

/** The href for a word that is a link, else null. */
function linkTarget(text: string): string | null {
  // Control characters never belong in a link.
  if (/[\u0000-\u001f\u007f]/.test(text)) return null;
  if (/^https?:\/\/\[?\w/i.test(text)) return percentEncodeNonAscii(text);
  if (/^www\./i.test(text) || isBareDomain(text)) return `http://${percentEncodeNonAscii(text)}`;
  if (!text.includes(':') && isEmail(text)) return `mailto:${text}`;
  return null;
}

function isBareDomain(text: string): boolean {
  // Django's simple_url_2_re ('example.com/path'), but the host must be a host name ('ftp://x.com' is not).
  const slash = text.indexOf('/');
  const host = slash === -1 ? text : text.slice(0, slash);
  return /^\w[\w.-]*\.(com|edu|gov|int|mil|net|org)$/i.test(host);
}

function isEmail(text: string): boolean {
  const at = text.indexOf('@');
  if (at <= 0 || at !== text.lastIndexOf('@') || at === text.length - 1) return false;
  const domain = text.slice(at + 1);
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(domain) && !/[()[\]]/.test(text.slice(0, at));
}

/**
 * Split wrapping and trailing punctuation off a word: '(www.a.com).' gives
 * lead '(', middle 'www.a.com', trail ').'. A closing bracket stays when it
 * balances an opening one in the middle ('http://w.org/Foo_(bar)').
 * Counts are kept up to date instead of recounted, so this is linear.
 */
function trimPunctuation(word: string, safeInput: boolean): { lead: string; middle: string; trail: string } {
  // Most words need no trimming: skip the counting.
  if (!'(['.includes(word[0] ?? '') && !')]'.includes(word.at(-1) ?? '') && !TRAILING_PUNCTUATION.includes(word.at(-1) ?? '')) {
    return { lead: '', middle: word, trail: '' };
  }
  let start = 0;
  let end = word.length;
  const opened = WRAPPERS.map(([open]) => countChar(word, open));
  const closed = WRAPPERS.map(([, close]) => countChar(word, close));
  let trimmed = true;
  while (trimmed && start < end) {
    trimmed = false;
    WRAPPERS.forEach(([open, close], k) => {
      if (start < end && word[start] === open) {
        start++;
        opened[k]!--;
        trimmed = true;
      }
      if (start < end && word[end - 1] === close && closed[k]! > opened[k]!) {
        end--;
        closed[k]!--;
        trimmed = true;
      }
    });
    while (start < end && TRAILING_PUNCTUATION.includes(word[end - 1]!) && !(safeInput && endsWithEntity(word, start, end))) {
      end--;
      trimmed = true;
    }
  }
  return { lead: word.slice(0, start), middle: word.slice(start, end), trail: word.slice(end) };
}

/** True when word[start, end) ends with an HTML entity such as '&amp;', whose ';' must stay. */
function endsWithEntity(word: string, start: number, end: number): boolean {
  if (word[end - 1] !== ';') return false;
  // Entity names are short; look back a bounded distance.
  const from = Math.max(start, end - 12);
  return /&#?[a-z0-9]+;$/i.test(word.slice(from, end));
}

function countChar(text: string, char: string): number {
  let count = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) count++;
  return count;
}

function percentEncodeNonAscii(url: string): string {
  // Via UTF-8 bytes rather than encodeURIComponent, which throws on a lone surrogate.
  return url.replace(/[^\x20-\x7e]+/g, (run) => Array.from(Buffer.from(run, 'utf8'), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" };

/** Undo escapeHtml for an already-safe word, so its href is escaped exactly once. */
function unescapeEntities(html: string): string {
  return html.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (entity, name: string) => ENTITIES[name] ?? entity);
}
