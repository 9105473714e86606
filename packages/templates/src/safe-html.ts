import nunjucks from 'nunjucks';

/** HTML that autoescape leaves alone: Nunjucks' SafeString. */
export type SafeHtml = nunjucks.runtime.SafeString;

const SafeString = nunjucks.runtime.SafeString;

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escape text for HTML element content and double- or single-quoted attributes.
 * @example escapeHtml('<b>"Tom" & Jerry</b>') // '&lt;b&gt;&quot;Tom&quot; &amp; Jerry&lt;/b&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/**
 * Mark a string as safe HTML, so templates output it unescaped. Only for
 * markup your code built and escaped itself, never for user input.
 * @example markSafe(`<input type="hidden" name="next" value="${escapeHtml(next)}">`)
 */
export function markSafe(html: string): SafeHtml {
  return new SafeString(html);
}

/** True when `value` was marked safe (by `markSafe`, the `safe` filter or a safe filter's output). */
export function isSafe(value: unknown): value is SafeHtml {
  return value instanceof SafeString;
}

/** The text of a filter's input: '' for null/undefined, the markup of safe HTML, else `String(value)`. */
export function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (isSafe(value)) return value.val;
  return String(value);
}

/** A filter's input as HTML: safe HTML as it is, anything else escaped. */
export function toHtml(value: unknown): string {
  return isSafe(value) ? value.val : escapeHtml(toText(value));
}

/** Keep the safeness of a filter's input on its output, as Django's `is_safe` filters do. */
export function copySafeness(input: unknown, output: string): string | SafeHtml {
  return isSafe(input) ? markSafe(output) : output;
}
