import { performance } from 'node:perf_hooks';
import { HttpError } from '../errors.js';
import { FileBody, type HttpResponse } from '../http/response.js';
import type { HttpRequest } from '../http/request.js';
import type { MiddlewareFactory } from './types.js';

/** Where log lines go: anything with `write(line)` (process.stderr, a file stream, a test array). */
export interface LogSink {
  write(line: string): unknown;
}

export interface RequestLoggingOptions {
  /** Defaults to process.stderr. Each line ends with '\n'. */
  sink?: LogSink;
  /** Wall clock for the timestamp (tests pin it). */
  now?: () => Date;
}

/**
 * Build a request logger writing one Common Log Format line per request,
 * plus the time taken:
 * `127.0.0.1 - - [25/Nov/2026:13:40:00 +0000] "GET /path HTTP/1.1" 200 1234 12.3ms`.
 * Size is '-' when unknown (streamed bodies). An error that escapes the inner
 * layers is logged with its status and rethrown.
 * @example
 * const lines: string[] = [];
 * export default defineSettings({ MIDDLEWARE: [createRequestLoggingMiddleware({ sink: { write: (l) => lines.push(l) } }), 'common'] });
 */
export function createRequestLoggingMiddleware(options: RequestLoggingOptions = {}): MiddlewareFactory {
  return () => {
    const sink = options.sink ?? process.stderr;
    const now = options.now ?? (() => new Date());
    const stamp = timestampCache();
    return async function logging(request, next) {
      const started = performance.now();
      const date = stamp(now());
      let status = 500;
      let size = '-';
      try {
        const response = await next(request);
        status = response.status;
        size = bodySize(response);
        return response;
      } catch (error) {
        if (error instanceof HttpError) status = error.status;
        throw error;
      } finally {
        const elapsed = (performance.now() - started).toFixed(1);
        const line = `${request.clientAddress ?? '-'} - - [${date}] "${clean(request.method)} ${clean(request.url)} HTTP/${httpVersion(request)}" ${status} ${size} ${elapsed}ms\n`;
        try {
          sink.write(line);
        } catch {
          // A broken log sink must not fail the request.
        }
      }
    };
  };
}

/** The default request logger (MIDDLEWARE name 'logging'), writing to stderr. */
export const requestLoggingMiddleware: MiddlewareFactory = createRequestLoggingMiddleware();

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The Common Log Format timestamp, in UTC.
 * @example formatLogDate(new Date('2026-11-25T13:40:00Z')) // '25/Nov/2026:13:40:00 +0000'
 */
export function formatLogDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/** Format the timestamp once per second rather than once per request. */
export function timestampCache(): (date: Date) => string {
  let second = Number.NaN;
  let text = '';
  return (date) => {
    const s = Math.floor(date.getTime() / 1000);
    if (s !== second) {
      second = s;
      text = formatLogDate(date);
    }
    return text;
  };
}

/** The body size for a log line: Content-Length, the in-memory size, or '-' for a stream. */
export function bodySize(response: HttpResponse): string {
  const declared = response.headers.get('content-length');
  if (declared !== undefined) return declared;
  const body = response.body;
  if (body === null) return '0';
  if (typeof body === 'string') return String(Buffer.byteLength(body, 'utf8'));
  if (body instanceof Uint8Array) return String(body.byteLength);
  if (body instanceof FileBody) return String(Math.max(0, body.length));
  return '-';
}

/** The request's HTTP version for a log line ('1.1' when the source does not say). */
export function httpVersion(request: HttpRequest): string {
  // node's IncomingMessage (the usual RequestSource) carries it; hand-built sources may not.
  const version = (request.source as { httpVersion?: unknown }).httpVersion;
  return typeof version === 'string' && /^\d(?:\.\d)?$/.test(version) ? version : '1.1';
}

/** Escape quotes, backslashes and control characters so a request cannot forge or break log lines. */
export function clean(value: string): string {
  return /["\\\x00-\x1f\x7f]/.test(value) ? value.replace(/["\\\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) : value;
}
