import { STATUS_CODES } from 'node:http';
import { AtriumError, HttpError, SuspiciousOperation } from '../errors.js';
import type { HttpRequest } from '../http/request.js';
import { html, json, type HttpResponse } from '../http/response.js';
import { describeError, escapeHtml, safely, technical500Page } from './technical-500.js';
import { technical404Page } from './technical-404.js';

/** Where server errors are reported; one call per event, possibly multi-line. */
export type ErrorLog = (message: string) => void;

export interface ErrorResponseOptions {
  /** Defaults to writing to process.stderr. Tests pass a collector. */
  log?: ErrorLog;
}

const stderrLog: ErrorLog = (message) => {
  process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
};

/**
 * Turn anything thrown while handling `request` into a response; never throws.
 * HttpError gives its status and headers (e.g. Allow), an AtriumError its
 * declared `status` (DatabaseUnavailable: 503), anything else a 500.
 * With DEBUG the 404 and 500 pages show the details (settings masked);
 * without it `<status>.html` from the template backend or a small built-in
 * page, with no detail at all. JSON clients get `{"error": {status, message}}`.
 * Server errors are logged with their stack.
 * @example
 * try { response = await handler(request); } catch (error) { response = await errorResponse(error, request); }
 */
export async function errorResponse(error: unknown, request: HttpRequest, options: ErrorResponseOptions = {}): Promise<HttpResponse> {
  const log = options.log ?? stderrLog;
  const status = statusOf(error);
  const debug = safely(() => request.app?.settings.DEBUG === true, false);
  report(error, status, request, log);
  let response: HttpResponse;
  try {
    response = await buildResponse(error, status, request, debug);
  } catch (renderError) {
    // The error page itself failed (a broken 500.html, a context processor
    // that needs the database that just went down): serve the built-in page.
    safeLog(log, `[atrium] Rendering the ${status} error page failed; served the built-in page instead.\n${stackOf(renderError)}`);
    response = html(plainErrorPage(status), { status });
  }
  if (error instanceof HttpError) {
    for (const [name, value] of Object.entries(error.headers)) {
      try {
        response.headers.set(name, value);
      } catch {
        // A header value with a line break is dropped rather than failing the error page.
      }
    }
  }
  return response;
}

/**
 * A minimal page naming only the status (Django's default 404/500 pages). Needs nothing to render.
 * @example html(plainErrorPage(404), { status: 404 })
 */
export function plainErrorPage(status: number, detail?: string): string {
  const reason = reasonOf(status);
  const text = status === 404 ? 'The requested resource was not found on this server.' : status >= 500 ? 'The server encountered an error and could not complete your request.' : '';
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${status} ${escapeHtml(reason)}</title></head>` +
    `<body><h1>${escapeHtml(reason)}</h1>${text ? `<p>${text}</p>` : ''}${detail ? `<pre>${escapeHtml(detail)}</pre>` : ''}</body></html>`
  );
}

async function buildResponse(error: unknown, status: number, request: HttpRequest, debug: boolean): Promise<HttpResponse> {
  if (prefersJson(safely(() => request.header('accept'), undefined))) {
    return json({ error: jsonError(error, status, debug) }, { status });
  }
  if (debug) {
    if (status === 404) return html(technical404Page(error, request), { status });
    // Django shows the full page for SuspiciousOperation too: a disallowed Host needs the details.
    if (status >= 500 || error instanceof SuspiciousOperation) return html(technical500Page(error, request, status), { status });
    return html(plainErrorPage(status, describeError(error).message), { status });
  }
  const templates = safely(() => request.app?.templates ?? null, null);
  if (templates) {
    const candidates = status >= 500 && status !== 500 ? [`${status}.html`, '500.html'] : [`${status}.html`];
    const name = candidates.find((candidate) => templates.exists(candidate));
    if (name) {
      // Only the path and status: production pages never see the exception.
      const page = await templates.render(name, { request_path: safely(() => request.path, ''), status }, request);
      return html(page, { status });
    }
  }
  return html(plainErrorPage(status), { status });
}

function jsonError(error: unknown, status: number, debug: boolean): { status: number; message: string; code?: string } {
  if (status >= 500 && !debug) return { status, message: reasonOf(status) };
  if (error instanceof SuspiciousOperation && !debug) return { status, message: reasonOf(status), code: error.code };
  const facts = describeError(error);
  if (status >= 500) return { status, message: `${facts.name}: ${facts.message}`, ...(facts.code ? { code: facts.code } : {}) };
  return { status, message: facts.message, ...(facts.code ? { code: facts.code } : {}) };
}

/**
 * The status of the error page: an HttpError's, or the `status` an
 * AtriumError of another package declares (the ORM's DatabaseUnavailable is
 * a 503, though the ORM may not import core's HTTP layer); else 500.
 */
function statusOf(error: unknown): number {
  if (!(error instanceof AtriumError)) return 500;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
}

function reasonOf(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

/**
 * True when the client ranks application/json above text/html (RFC 9110
 * section 12.5.1: the most specific range gives a type its q; on a tie the
 * explicitly named type wins, so axios' `application/json, text/plain, *\/*`
 * gets JSON and a browser's `text/html,...,*\/*;q=0.8` gets HTML).
 */
function prefersJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = parseAccept(accept);
  const j = rank(ranges, 'application', 'json');
  const h = rank(ranges, 'text', 'html');
  return j.q > 0 && (j.q > h.q || (j.q === h.q && j.specificity > h.specificity));
}

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  // Bounded: a hostile header of thousands of ranges costs no more than 64.
  for (const part of accept.split(',', 64)) {
    const [mediaType = '', ...params] = part.split(';');
    const slash = mediaType.indexOf('/');
    if (slash === -1) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key?.trim().toLowerCase() === 'q') {
        const parsed = Number(value?.trim());
        q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
      }
    }
    ranges.push({ type: mediaType.slice(0, slash).trim().toLowerCase(), subtype: mediaType.slice(slash + 1).trim().toLowerCase(), q });
  }
  return ranges;
}

function rank(ranges: readonly MediaRange[], type: string, subtype: string): { q: number; specificity: number } {
  let best = { q: 0, specificity: 0 };
  for (const range of ranges) {
    const specificity =
      range.type === type && range.subtype === subtype ? 3 : range.type === type && range.subtype === '*' ? 2 : range.type === '*' && range.subtype === '*' ? 1 : 0;
    if (specificity > best.specificity) best = { q: range.q, specificity };
  }
  return best;
}

/** Log server errors with their stack, and suspicious requests on one line. */
function report(error: unknown, status: number, request: HttpRequest, log: ErrorLog): void {
  const where = `${safely(() => request.method, '?')} ${oneLine(safely(() => request.url, '?'))}`;
  if (status >= 500) {
    safeLog(log, `[atrium] ${status} ${reasonOf(status)}: ${where}\n${stackOf(error)}`);
  } else if (error instanceof SuspiciousOperation) {
    safeLog(log, `[atrium] Suspicious request (${error.code}) ${where}: ${oneLine(error.message)}`);
  }
}

function stackOf(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined; depth++) {
    const facts = describeError(current);
    lines.push(`${depth > 0 ? 'Caused by: ' : ''}${facts.stack || `${facts.name}: ${facts.message}`}`);
    current = current instanceof Error && current.cause !== current ? current.cause : undefined;
  }
  return lines.join('\n');
}

/** Escape control characters so a client-supplied value cannot forge log lines. */
function oneLine(value: string): string {
  return value.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function safeLog(log: ErrorLog, message: string): void {
  try {
    log(message);
  } catch {
    // Logging must never turn an error page into a crash.
  }
}
