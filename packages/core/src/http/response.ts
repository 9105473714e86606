import { ResponseHeaders, type HeaderValue } from './headers.js';

/** A byte range of a file on disk, streamed by the server adapter (see `sendFile`). */
export class FileBody {
  constructor(
    readonly path: string,
    /** First byte, inclusive. */
    readonly start: number,
    /** Last byte, inclusive; `start - 1` for an empty file. */
    readonly end: number,
  ) {}
  get length(): number {
    return this.end - this.start + 1;
  }
}

export type ResponseBody = null | string | Uint8Array | FileBody | AsyncIterable<string | Uint8Array>;

export interface CookieOptions {
  maxAge?: number;
  expires?: Date;
  path?: string;
  domain?: string;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: 'lax' | 'strict' | 'none';
  partitioned?: boolean;
}

export interface SignedCookieOptions extends CookieOptions {
  /** Namespaces the signature, so a value signed for one purpose is refused for another. */
  salt?: string;
}

/** A cookie queued on a response; signed ones are signed by the application when the response leaves. */
export interface PendingCookie {
  name: string;
  value: string;
  options: CookieOptions;
  signSalt: string | null;
}

export interface ResponseInit {
  status?: number;
  headers?: Record<string, HeaderValue | number | undefined>;
}

/**
 * What a view returns. Mutable until the application hands it to a server
 * adapter, so middleware can add headers and cookies.
 */
export class HttpResponse {
  status: number;
  readonly headers: ResponseHeaders;
  body: ResponseBody;
  /** Created by the first cookie: most responses set none, so most allocate no list. */
  #cookies: PendingCookie[] | null = null;

  constructor(body: ResponseBody = null, init?: ResponseInit) {
    this.body = body;
    this.status = init?.status ?? 200;
    this.headers = new ResponseHeaders(init?.headers);
  }

  /** Cookies queued by setCookie, setSignedCookie and deleteCookie, turned into Set-Cookie headers when the response leaves. */
  get cookies(): PendingCookie[] {
    this.#cookies ??= [];
    return this.#cookies;
  }

  /** True when cookies are queued; unlike `cookies.length`, creates no list. */
  get hasCookies(): boolean {
    return this.#cookies !== null && this.#cookies.length > 0;
  }

  setCookie(name: string, value: string, options: CookieOptions = {}): this {
    this.cookies.push({ name, value, options, signSalt: null });
    return this;
  }

  /** Set a cookie signed with SECRET_KEY (HMAC); read it back with `request.getSignedCookie`. */
  setSignedCookie(name: string, value: string, options: SignedCookieOptions = {}): this {
    const { salt = '', ...rest } = options;
    this.cookies.push({ name, value, options: rest, signSalt: salt });
    return this;
  }

  /** Expire a cookie in the browser; path and domain must match the ones it was set with. */
  deleteCookie(name: string, options: Pick<CookieOptions, 'path' | 'domain' | 'sameSite' | 'secure'> = {}): this {
    this.cookies.push({ name, value: '', options: { ...options, maxAge: 0, expires: new Date(0) }, signSalt: null });
    return this;
  }

  /** The body as text, when it is held in memory (string or bytes). */
  get textBody(): string | undefined {
    if (typeof this.body === 'string') return this.body;
    if (this.body instanceof Uint8Array) return Buffer.from(this.body.buffer, this.body.byteOffset, this.body.byteLength).toString('utf8');
    return undefined;
  }
}

const HTML = 'text/html; charset=utf-8';
const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json';

/**
 * A response with a Content-Type. Without `init` (the usual case) the type is
 * stored directly: it is a constant of this module, already lower-case and
 * one line, so the per-name work of the ResponseHeaders constructor is skipped.
 */
function typed(body: ResponseBody, type: string, init: ResponseInit | undefined): HttpResponse {
  if (init === undefined) {
    const response = new HttpResponse(body);
    response.headers.raw['content-type'] = type;
    return response;
  }
  // Content-Type first, so that a Content-Type in init.headers (any case) replaces it.
  return new HttpResponse(body, { status: init.status ?? 200, headers: { 'content-type': type, ...init.headers } });
}

/** An HTML response. The caller is responsible for escaping; use templates for pages. */
export function html(content: string, init?: ResponseInit): HttpResponse {
  return typed(content, HTML, init);
}

export function text(content: string, init?: ResponseInit): HttpResponse {
  return typed(content, TEXT, init);
}

/**
 * A JSON response.
 * @example return json({ id: post.id, title: post.title });
 */
export function json(value: unknown, init?: ResponseInit): HttpResponse {
  return typed(JSON.stringify(value) ?? 'null', JSON_TYPE, init);
}

/**
 * A redirect. Build the target with `request.reverse(name, params)` rather than by hand.
 * @example return redirect(request.reverse('blog:detail', { id: 3 }));
 */
export function redirect(location: string, options: { permanent?: boolean; status?: 301 | 302 | 303 | 307 | 308 } = {}): HttpResponse {
  const status = options.status ?? (options.permanent ? 301 : 302);
  const res = new HttpResponse(null, { status });
  res.headers.set('location', location);
  return res;
}

/** A streamed response from an async iterable of chunks (Server-Sent Events, large exports). */
export function stream(chunks: AsyncIterable<string | Uint8Array>, init?: ResponseInit & { contentType?: string }): HttpResponse {
  return typed(chunks, init?.contentType ?? 'application/octet-stream', init);
}
