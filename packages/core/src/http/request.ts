import { parse as parseCookieHeader } from 'cookie';
import type { AppContext } from '../app/context.js';
import { QueryDict } from './query-dict.js';
import { normalizeAddress, trustedProxies } from './trusted-proxies.js';
import type { UploadedFile } from './uploaded-file.js';
import { lowerHeaderName } from './header-name.js';
import { readBody, parseJsonBody, parseFormBody, type FormData } from './body/index.js';

/**
 * What a server adapter knows about an incoming request. Node's IncomingMessage
 * fits it structurally; the test client builds one by hand.
 */
export interface RequestSource {
  method: string;
  /** The request-target: path plus optional `?query`, not decoded. */
  url: string;
  /** Lower-cased header names, as node:http gives them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: AsyncIterable<Uint8Array> | null;
  remoteAddress?: string;
  /** True when the socket itself is TLS. Proxy headers are handled by settings. */
  encrypted?: boolean;
}

/**
 * Per-request values that packages add by declaration merging, e.g. auth adds
 * `user` and `session`:
 * @example declare module '@atrium/core' { interface RequestState { user: User } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface RequestState {}

export interface SignedCookieReadOptions {
  salt?: string;
  /** Seconds; older signatures are refused. */
  maxAge?: number;
}

/**
 * The request a view receives. Everything is parsed lazily: the URL, query,
 * cookies and body are only decoded when asked for.
 */
export class HttpRequest {
  readonly method: string;
  /** The raw request-target (path and query, not decoded). */
  readonly url: string;
  readonly source: RequestSource;
  /** Name of the matched route (`blog:detail`), or null. */
  routeName: string | null = null;
  /** Set by the application before dispatch. */
  app!: AppContext;

  #path: string | undefined;
  /** Set by the router (a route without parameters shares one frozen empty object); created on first read before that. */
  #params: Record<string, unknown> | undefined;
  #query: QueryDict | undefined;
  #cookies: Record<string, string> | undefined;
  #body: Promise<Buffer> | undefined;
  #form: Promise<FormData> | undefined;
  #state: Partial<RequestState> | undefined;
  /** Created by the first onFinish(): most requests register none. */
  #cleanups: Array<() => Promise<void> | void> | null = null;

  constructor(source: RequestSource) {
    this.source = source;
    this.method = upperMethod(source.method);
    this.url = source.url;
  }

  /** Route parameters, converted (`<int:id>` gives a number). Set by the router. */
  get params(): Record<string, unknown> {
    this.#params ??= {};
    return this.#params;
  }

  set params(params: Record<string, unknown>) {
    this.#params = params;
  }

  /** Values added by middleware (session, user, CSRF token, CSP nonce...). Created on first use. */
  get state(): Partial<RequestState> {
    this.#state ??= {};
    return this.#state;
  }

  /** The raw (still percent-encoded) path. */
  get rawPath(): string {
    const q = this.url.indexOf('?');
    return q === -1 ? this.url : this.url.slice(0, q);
  }

  /** The decoded path. A malformed escape is kept literally rather than throwing. */
  get path(): string {
    if (this.#path === undefined) {
      const raw = this.rawPath;
      if (raw.includes('%')) {
        try {
          this.#path = decodeURIComponent(raw);
        } catch {
          this.#path = raw;
        }
      } else {
        this.#path = raw;
      }
    }
    return this.#path;
  }

  /** The query string without the `?`, or ''. */
  get queryString(): string {
    const q = this.url.indexOf('?');
    return q === -1 ? '' : this.url.slice(q + 1);
  }

  get query(): QueryDict {
    this.#query ??= QueryDict.parse(this.queryString);
    return this.#query;
  }

  /** A header value; repeated headers are joined with ', '. Name is case-insensitive. */
  header(name: string): string | undefined {
    return joined(this.source.headers[lowerHeaderName(name)]);
  }

  get headers(): Readonly<Record<string, string | string[] | undefined>> {
    return this.source.headers;
  }

  /** Request cookies in a null-prototype object. */
  get cookies(): Record<string, string> {
    if (this.#cookies === undefined) {
      const header = this.header('cookie');
      const parsed: Record<string, string> = Object.create(null);
      if (header) {
        const raw = parseCookieHeader(header);
        for (const k in raw) {
          const v = raw[k];
          if (v !== undefined) parsed[k] = v;
        }
      }
      this.#cookies = parsed;
    }
    return this.#cookies;
  }

  /** A cookie set with `response.setSignedCookie`, or undefined when missing, tampered with or expired. */
  getSignedCookie(name: string, options: SignedCookieReadOptions = {}): string | undefined {
    const value = this.cookies[name];
    if (value === undefined) return undefined;
    return this.app.unsignCookie(name, value, options);
  }

  get contentType(): string {
    const ct = this.header('content-type');
    if (!ct) return '';
    const semi = ct.indexOf(';');
    return (semi === -1 ? ct : ct.slice(0, semi)).trim().toLowerCase();
  }

  /** The Host header (or a trusted X-Forwarded-Host), without validation; `CommonMiddleware` validates it. */
  get host(): string {
    if (this.app?.settings.USE_X_FORWARDED_HOST && this.isFromTrustedProxy) {
      const fwd = this.header('x-forwarded-host');
      if (fwd) return fwd.split(',')[0]!.trim();
    }
    // The stored name is already lower-case: skip header()'s name lookup, which runs on every request (the Host check).
    return joined(this.source.headers.host) ?? '';
  }

  /** True when the connection came from an address in TRUSTED_PROXIES (addresses or CIDR ranges, IPv4 and IPv6). */
  get isFromTrustedProxy(): boolean {
    const proxies = this.app?.settings.TRUSTED_PROXIES;
    const addr = this.source.remoteAddress;
    if (proxies === undefined || proxies.length === 0 || addr === undefined) return false;
    return trustedProxies(proxies).has(addr);
  }

  /** HTTPS at the socket, or per SECURE_PROXY_SSL_HEADER from a trusted proxy (its first value, if a proxy chain sent several). */
  get isSecure(): boolean {
    if (this.source.encrypted) return true;
    const proxyHeader = this.app?.settings.SECURE_PROXY_SSL_HEADER;
    if (proxyHeader && this.isFromTrustedProxy) {
      const value = this.header(proxyHeader[0]);
      if (value === undefined) return false;
      const comma = value.indexOf(',');
      return (comma === -1 ? value : value.slice(0, comma)).trim() === proxyHeader[1];
    }
    return false;
  }

  get scheme(): 'http' | 'https' {
    return this.isSecure ? 'https' : 'http';
  }

  /**
   * The client address: the socket peer; behind trusted proxies, the
   * X-Forwarded-For hop nearest to us that is not itself a trusted proxy
   * (walked right to left, since a client can write anything on the left).
   */
  get clientAddress(): string | undefined {
    const peer = this.source.remoteAddress;
    if (!this.isFromTrustedProxy) return peer;
    const fwd = this.header('x-forwarded-for');
    if (!fwd) return peer;
    const proxies = trustedProxies(this.app.settings.TRUSTED_PROXIES);
    const hops = fwd.split(',');
    let nearest = peer;
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = normalizeAddress(hops[i]!);
      // Garbage where an address should be: believe no further than the proxy that passed it on.
      if (hop === null) return nearest;
      if (!proxies.has(hop)) return hop;
      nearest = hop;
    }
    return nearest;
  }

  /** `https://host/path` for a path on this site. */
  buildAbsoluteUri(location = this.url): string {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return location;
    return `${this.scheme}://${this.host}${location.startsWith('/') ? '' : '/'}${location}`;
  }

  /** URL for a named route, e.g. `request.reverse('blog:detail', { id: 3 })`. */
  reverse(name: string, params?: Record<string, unknown>): string {
    return this.app.reverse(name, params);
  }

  /** The raw body, at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes (413 beyond). Read once, cached. */
  body(): Promise<Buffer> {
    this.#body ??= readBody(this);
    return this.#body;
  }

  async text(): Promise<string> {
    return (await this.body()).toString('utf8');
  }

  /** The body parsed as JSON (400 when malformed or empty; `__proto__`/`constructor` keys dropped). */
  async json<T = unknown>(): Promise<T> {
    return parseJsonBody(this) as Promise<T>;
  }

  /** Form fields and uploaded files from an urlencoded or multipart body (415 for other types). */
  form(): Promise<FormData> {
    this.#form ??= parseFormBody(this);
    return this.#form;
  }

  /** Uploaded files, by field name. */
  async files(): Promise<Map<string, UploadedFile[]>> {
    return (await this.form()).files;
  }

  /** Run `fn` once the response has been sent (temp-file removal). */
  onFinish(fn: () => Promise<void> | void): void {
    (this.#cleanups ??= []).push(fn);
  }

  /** True while onFinish() callbacks wait for finish(); lets the application skip an await per request. */
  get hasFinishCallbacks(): boolean {
    return this.#cleanups !== null && this.#cleanups.length > 0;
  }

  /** Called by the application after the response is produced or failed. */
  async finish(): Promise<void> {
    const fns = this.#cleanups;
    if (fns === null) return;
    this.#cleanups = null;
    for (const fn of fns) {
      try {
        await fn();
      } catch {
        // Cleanup failures must not affect the response already sent.
      }
    }
  }
}

/** A header's values as one string: repeated headers joined with ', '. */
function joined(value: string | readonly string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : (value as string | undefined);
}

/**
 * `method.toUpperCase()`, without the call for the methods node:http gives
 * (always upper-case): V8 does not inline the builtin, and the comparisons
 * cost less.
 */
function upperMethod(method: string): string {
  switch (method) {
    case 'GET':
    case 'POST':
    case 'HEAD':
    case 'PUT':
    case 'DELETE':
    case 'PATCH':
    case 'OPTIONS':
      return method;
    default:
      return method.toUpperCase();
  }
}
