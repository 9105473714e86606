import { escapeHtml, isSafe, markSafe, toText, type SafeHtml } from '../safe-html.js';

const SCRIPT_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003C',
  '>': '\\u003E',
  '&': '\\u0026',
};

/**
 * Django's `json_script`: the value as JSON inside
 * `<script type="application/json">`, with `<`, `>` and `&` written as
 * `\u003C`, `\u003E`, `\u0026` so no string can close the script element.
 * Read it with `JSON.parse(document.getElementById(id).textContent)`.
 * @example {{ { name: '</script>' } | json_script('data') }}
 *   -> <script id="data" type="application/json">{"name":"\u003C/script\u003E"}</script>
 */
export function jsonScript(value: unknown, id?: unknown): SafeHtml {
  const data = isSafe(value) ? value.val : value;
  const json = (JSON.stringify(data) ?? 'null').replace(/[<>&]/g, (char) => SCRIPT_ESCAPES[char]!);
  const idAttribute = id === undefined || id === null || id === '' ? '' : ` id="${escapeHtml(toText(id))}"`;
  return markSafe(`<script${idAttribute} type="application/json">${json}</script>`);
}
