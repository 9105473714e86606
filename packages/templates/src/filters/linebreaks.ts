import { markSafe, toHtml, type SafeHtml } from '../safe-html.js';

function normalizeNewlines(html: string): string {
  return html.replace(/\r\n?/g, '\n');
}

/**
 * Django's `linebreaks`: escape the text (unless it is already safe), make each
 * blank-line-separated paragraph a `<p>`, and single newlines `<br>`.
 * @example {{ 'Hi\n\nBye <b>' | linebreaks }}  -> '<p>Hi</p>\n\n<p>Bye &lt;b&gt;</p>'
 */
export function linebreaks(value: unknown): SafeHtml {
  const paragraphs = normalizeNewlines(toHtml(value)).split(/\n{2,}/);
  return markSafe(paragraphs.map((paragraph) => `<p>${paragraph.replaceAll('\n', '<br>')}</p>`).join('\n\n'));
}

/**
 * Django's `linebreaksbr`: escape the text (unless it is already safe), then
 * turn every newline into `<br>`.
 * @example {{ 'a\nb' | linebreaksbr }}  -> 'a<br>b'
 */
export function linebreaksbr(value: unknown): SafeHtml {
  return markSafe(normalizeNewlines(toHtml(value)).replaceAll('\n', '<br>'));
}
