import type { HttpRequest } from '../http/request.js';
import { clean, httpVersion, timestampCache, type LogSink } from '../middleware/request-logging.js';

/** `common`: NCSA Common Log Format; `combined`: the same plus quoted Referer and User-Agent (Apache/nginx "combined"). */
export type AccessLogFormat = 'common' | 'combined';

/**
 * The server's access log: one Common or Combined Log Format line per
 * response, e.g.
 * `203.0.113.9 - - [07/Dec/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 512 "-" "curl/8.5"`.
 * Lines are gathered and written once per event-loop turn, so a busy server
 * makes one write for many requests instead of one each.
 * @example const log = new AccessLog('combined', process.stdout); log.record(request, 200, '512');
 */
export class AccessLog {
  readonly #format: AccessLogFormat;
  readonly #sink: LogSink;
  readonly #stamp = timestampCache();
  #pending = '';
  #scheduled = false;

  constructor(format: AccessLogFormat, sink: LogSink) {
    this.#format = format;
    this.#sink = sink;
  }

  /** Log one response; `size` is the body size in bytes or '-' when unknown. */
  record(request: HttpRequest, status: number, size: string): void {
    // clientAddress reads TRUSTED_PROXIES from the project, set once the application saw the request.
    const client = request.app === undefined ? request.source.remoteAddress : request.clientAddress;
    let line = `${client ?? '-'} - - [${this.#stamp(new Date())}] "${clean(request.method)} ${clean(request.url)} HTTP/${httpVersion(request)}" ${status} ${size}`;
    if (this.#format === 'combined') line += ` "${headerField(request, 'referer')}" "${headerField(request, 'user-agent')}"`;
    this.#pending += `${line}\n`;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Write the gathered lines now (shutdown calls it so the last lines are not lost). */
  flush(): void {
    this.#scheduled = false;
    if (this.#pending === '') return;
    const text = this.#pending;
    this.#pending = '';
    try {
      this.#sink.write(text);
    } catch {
      // A broken log sink must not fail requests.
    }
  }
}

function headerField(request: HttpRequest, name: string): string {
  const value = request.header(name);
  return value === undefined || value === '' ? '-' : clean(value);
}
