import type { HttpRequest } from '../http/request.js';
import { Http404 } from '../errors.js';
import { debugPage, escapeHtml, safely, table } from './technical-500.js';

/**
 * The DEBUG page for a 404 (Django's technical_404): the request path and
 * every route pattern the router tried, in order, or the message of an
 * Http404 raised by a view. Only ever served when DEBUG is true.
 * @example return html(technical404Page(error, request), { status: 404 });
 */
export function technical404Page(error: unknown, request: HttpRequest): string {
  const path = safely(() => request.path, '?');
  const tried = error instanceof Http404 ? error.tried : [];
  const message = error instanceof Error ? error.message : '';
  const urlconf = safely(() => request.app?.settings.ROOT_URLCONF, undefined) ?? 'the root route list';

  const triedHtml =
    `<pre class="message">${escapeHtml(message || 'Not found')}</pre>` +
    (tried.length > 0
      ? `<p>Using the routes defined in <code>${escapeHtml(urlconf)}</code>, Atrium tried these patterns, in this order:</p>` +
        `<ol>${tried.map((pattern) => `<li><code>${escapeHtml(pattern)}</code></li>`).join('')}</ol>` +
        `<p>The current path, <code>${escapeHtml(path)}</code>, didn't match any of these.</p>`
      : '');

  const body =
    '<header><h1>Page not found <small>(404)</small></h1>' +
    table([
      ['Request method', safely(() => request.method, '?')],
      ['Request URL', safely(() => request.url, '?')],
      ['Raised by', tried.length > 0 ? 'the router (no route matched)' : (safely(() => request.routeName, null) ?? 'a view or middleware')],
    ]) +
    '</header>' +
    `<section>${triedHtml}</section>` +
    "<footer><p>You are seeing this page because DEBUG is true in your settings. Set DEBUG to false and Atrium will show a standard 404 page.</p></footer>";
  return debugPage(`Page not found at ${path}`, body);
}
