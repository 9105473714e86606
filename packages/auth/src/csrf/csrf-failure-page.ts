import { html, json, type HttpRequest, type HttpResponse } from '@atrium/core';
import { escapeHtml } from '@atrium/templates';
import { CsrfReason } from './csrf-reasons.js';

/** Django's explanations, shown with DEBUG so a developer can fix the form or the client. */
const HELP = [
  'Your browser is accepting cookies.',
  'The view function passes a request to the template’s render method (so the csrf context processor runs).',
  'In the template, there is a {{ csrf_input }} tag inside each POST form that targets an internal URL.',
  'If you are not using the csrf context processor, pass request.state.csrfToken to the template yourself.',
  'JavaScript clients send the token in the X-CSRFToken header (CSRF_HEADER_NAME), read from the csrftoken cookie or the page.',
  'The form has a valid CSRF token. After logging in in another browser tab or hitting the back button after a login, you may need to reload the page with the form, because the token is rotated after a login.',
  'On HTTPS, the browser sends a Referer header (check the Referrer-Policy), and requests from other sites are listed in CSRF_TRUSTED_ORIGINS.',
];

/**
 * The 403 for a failed CSRF check: with DEBUG a page naming the reason and
 * how to fix it; without, the `403_csrf.html` template when the project has
 * one, else a short page that names no internals. JSON clients get JSON.
 */
export async function csrfFailureResponse(request: HttpRequest, reason: string): Promise<HttpResponse> {
  const debug = request.app.settings.DEBUG;
  const accept = request.header('accept') ?? '';
  if (accept.includes('application/json') && !accept.includes('text/html')) {
    return json({ error: { status: 403, code: 'E_CSRF_FAILED', message: debug ? `CSRF verification failed: ${reason}` : 'CSRF verification failed.' } }, { status: 403 });
  }
  const noReferer = reason === CsrfReason.noReferer;
  const noCookie = reason === CsrfReason.noCookie;
  if (!debug) {
    const templates = request.app.templates;
    if (templates?.exists('403_csrf.html')) {
      return html(await templates.render('403_csrf.html', { no_referer: noReferer, no_cookie: noCookie }, request), { status: 403 });
    }
  }
  const hint = noReferer
    ? '<p>You are seeing this message because this HTTPS site requires a Referer header to be sent by your browser, but none was sent. It is required for security, to ensure your browser is not being hijacked by third parties.</p>'
    : noCookie
      ? '<p>You are seeing this message because this site requires a CSRF cookie when submitting forms. It is required for security, to ensure your browser is not being hijacked by third parties. If you disabled cookies, re-enable them for this site.</p>'
      : '';
  const details = debug
    ? `<h2>Help</h2><p>Reason given for failure:</p><pre>${escapeHtml(reason)}</pre><p>This usually happens when there is a genuine Cross Site Request Forgery, or when the CSRF mechanism has not been used correctly. For POST forms, ensure that:</p><ul>${HELP.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul><p>You are seeing the help section because DEBUG is true; in production only the first line is shown.</p>`
    : '<p>More information is available with DEBUG = true.</p>';
  const page =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="NONE,NOARCHIVE"><title>403 Forbidden</title></head>' +
    `<body><h1>Forbidden <span>(403)</span></h1><p>CSRF verification failed. Request aborted.</p>${hint}${details}</body></html>`;
  return html(page, { status: 403 });
}
