import { copySafeness, toText, type SafeHtml } from '../safe-html.js';
import { integerArgument } from './template-filter.js';

/**
 * Django's `wordwrap`: wrap lines at `width` characters, breaking only at
 * spaces; a word longer than the width stays whole on its own line. One pass
 * over the text.
 * @example {{ 'Joel is a slug' | wordwrap(5) }}  -> 'Joel\nis a\nslug'
 */
export function wordwrap(value: unknown, width: unknown): string | SafeHtml {
  const limit = integerArgument(width);
  const text = toText(value);
  if (limit === null || limit < 1) return copySafeness(value, text);
  const lines = text.split('\n').map((line) => wrapLine(line, limit));
  return copySafeness(value, lines.join('\n'));
}

function wrapLine(line: string, width: number): string {
  const out: string[] = [];
  let current = '';
  for (const word of line.split(/ +/)) {
    if (word === '') continue;
    if (current === '') current = word;
    else if (current.length + 1 + word.length <= width) current += ` ${word}`;
    else {
      out.push(current);
      current = word;
    }
  }
  if (current !== '' || out.length === 0) out.push(current);
  return out.join('\n');
}
