import type nunjucks from 'nunjucks';
import { loadNunjucks } from './nunjucks-module.js';

/** HTML that autoescape leaves alone: Nunjucks' SafeString. */
export type SafeHtml = nunjucks.runtime.SafeString;

let SafeStringClass: typeof nunjucks.runtime.SafeString | undefined;

// Looked up on first use so that importing this package does not load nunjucks (see loadNunjucks).
function safeStringClass(): typeof nunjucks.runtime.SafeString {
  SafeStringClass ??= loadNunjucks().runtime.SafeString;
  return SafeStringClass;
}

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
  const SafeString = safeStringClass();
  return new SafeString(html);
}

/** True when `value` was marked safe (by `markSafe`, the `safe` filter or a safe filter's output). */
export function isSafe(value: unknown): value is SafeHtml {
  // Only an object can be safe HTML; checking first keeps nunjucks unloaded for plain strings.
  return typeof value === 'object' && value !== null && value instanceof safeStringClass();
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
