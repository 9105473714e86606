import type { HttpRequest } from '../http/request.js';
import { MASK, SENSITIVE_NAME, maskSettings } from './mask-settings.js';

/**
 * Escape text for HTML element content and quoted attribute values. Every
 * value on a debug page goes through this: exception messages and request
 * headers are attacker-controlled.
 * @example escapeHtml('<b title="x">') // '&lt;b title=&quot;x&quot;&gt;'
 */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// Header values that carry credentials, whatever their name says.
const SECRET_HEADERS = new Set(['cookie', 'authorization', 'proxy-authorization', 'set-cookie']);

/**
 * The DEBUG page for an unhandled error (Django's technical_500): exception
 * class, message, code, stack with causes, the request and the settings with
 * secrets masked. Only ever served when DEBUG is true.
 * @example return html(technical500Page(error, request), { status: 500 });
 */
export function technical500Page(error: unknown, request: HttpRequest, status = 500): string {
  const chain = errorChain(error);
  const head = chain[0]!;
  const title = `${head.name} at ${safely(() => request.path, '?')}`;
  const body =
    `<header><h1>${escapeHtml(head.name)}${head.code ? ` <small>(${escapeHtml(head.code)})</small>` : ''}</h1>` +
    `<pre class="message">${escapeHtml(head.message)}</pre>` +
    table([
      ['Status', String(status)],
      ['Request', `${safely(() => request.method, '?')} ${safely(() => request.url, '?')}`],
      ['Route', safely(() => request.routeName ?? '(none)', '?')],
      ['Node.js', process.version],
      ['Time', new Date().toISOString()],
    ]) +
    '</header>' +
    `<section><h2>Traceback</h2>${chain.map(renderTraceback).join('<p class="cause">The above error was the cause of:</p>')}</section>` +
    renderRequest(request) +
    renderSettings(request) +
    '<footer><p>You are seeing this page because DEBUG is true in your settings. Set DEBUG to false and Atrium will show a standard 500 page.</p></footer>';
  return debugPage(title, body);
}

/** The shared layout of the debug pages (inline CSS: no static files needed while things are broken). */
export function debugPage(title: string, body: string): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex,nofollow">' +
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>${body}</body></html>`
  );
}

/** A two-column table; both columns are escaped here. */
export function table(rows: ReadonlyArray<readonly [string, string]>, empty = 'None'): string {
  if (rows.length === 0) return `<p class="empty">${escapeHtml(empty)}</p>`;
  return `<table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td><pre>${escapeHtml(v)}</pre></td></tr>`).join('')}</table>`;
}

/** Run a getter that may throw (a lazy request property on a malformed request) and keep the page going. */
export function safely<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

interface ErrorFacts {
  name: string;
  message: string;
  code: string | null;
  stack: string;
}

/** The error and its `cause`s, outermost first (at most 5, cycles cut). */
function errorChain(error: unknown): ErrorFacts[] {
  const chain: ErrorFacts[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (chain.length < 5 && !seen.has(current)) {
    seen.add(current);
    chain.push(describeError(current));
    if (!(current instanceof Error) || current.cause === undefined) break;
    current = current.cause;
  }
  return chain;
}

/** Facts about any thrown value, including non-Errors (`throw 'oops'`). */
export function describeError(error: unknown): ErrorFacts {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: safely(() => String(error.name), '') || error.constructor?.name || 'Error',
      message: safely(() => String(error.message), '(message unavailable)'),
      code: typeof code === 'string' || typeof code === 'number' ? String(code) : null,
      stack: safely(() => error.stack ?? '', ''),
    };
  }
  return { name: `Non-Error value (${error === null ? 'null' : typeof error})`, message: safely(() => String(error), '(unprintable)'), code: null, stack: '' };
}

function renderTraceback(facts: ErrorFacts): string {
  return `<h3>${escapeHtml(facts.name)}: ${escapeHtml(facts.message)}</h3><pre class="stack">${escapeHtml(facts.stack || '(no stack trace)')}</pre>`;
}

function renderRequest(request: HttpRequest): string {
  const query = safely(() => [...request.query.entries()], [] as Array<[string, string]>);
  const headers = safely(() => Object.entries(request.headers), [] as Array<[string, string | string[] | undefined]>)
    .filter((entry): entry is [string, string | string[]] => entry[1] !== undefined)
    .map(([name, value]) => [name, SECRET_HEADERS.has(name) || SENSITIVE_NAME.test(name) ? MASK : String(value)] as const);
  // Cookie values are credentials (session ids): names only.
  const cookies = safely(() => Object.keys(request.cookies), [] as string[]).map((name) => [name, MASK] as const);
  return (
    '<section><h2>Request</h2>' +
    table([
      ['Method', safely(() => request.method, '?')],
      ['Path', safely(() => request.path, '?')],
      ['Client address', safely(() => request.clientAddress ?? 'unknown', 'unknown')],
    ]) +
    `<h3>Query parameters</h3>${table(query, 'No query parameters')}` +
    `<h3>Headers</h3>${table(headers, 'No headers')}` +
    `<h3>Cookies</h3>${table(cookies, 'No cookies')}` +
    '</section>'
  );
}

function renderSettings(request: HttpRequest): string {
  const settings = safely(() => request.app?.settings, undefined);
  if (!settings) return '<section><h2>Settings</h2><p class="empty">Settings were not loaded when the error happened.</p></section>';
  const masked = maskSettings(settings) as Record<string, unknown>;
  const rows = Object.keys(masked)
    .sort()
    .map((key) => [key, formatValue(masked[key])] as const);
  return `<section><h2>Settings</h2><p>Values whose names look secret are masked.</p>${table(rows)}</section>`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value, null, 2) ?? String(value);
}

const CSS =
  'body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#222}header{background:#ffc;padding:12px 20px;border-bottom:1px solid #ddd}' +
  'section,footer{padding:8px 20px;border-bottom:1px solid #eee}h1{margin:0 0 8px;font-size:22px}h1 small{color:#666;font-weight:normal}' +
  'h2{font-size:17px}h3{font-size:14px}pre{margin:0;white-space:pre-wrap;word-break:break-word;font:12px/1.4 ui-monospace,monospace}' +
  'pre.message{font-size:15px;margin-bottom:8px}pre.stack{background:#f6f6f6;padding:8px}table{border-collapse:collapse}' +
  'th{text-align:right;vertical-align:top;padding:2px 12px 2px 0;color:#555;font-weight:normal}td{padding:2px 0}' +
  '.empty,.cause,footer{color:#666}ol{font-family:ui-monospace,monospace}';
