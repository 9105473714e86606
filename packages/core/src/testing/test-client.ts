import { randomBytes } from 'node:crypto';
import { HttpRequest } from '../http/request.js';
import type { Application } from '../app/create-application.js';
import { CookieJar } from './cookie-jar.js';
import { TestResponse } from './test-response.js';

export interface UploadSpec {
  field: string;
  filename: string;
  content: string | Uint8Array;
  contentType?: string;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Appended to the path as a query string. */
  query?: Record<string, string | number | boolean | readonly (string | number)[]>;
  json?: unknown;
  form?: Record<string, string | readonly string[]>;
  multipart?: { fields?: Record<string, string | readonly string[]>; files?: readonly UploadSpec[] };
  body?: string | Uint8Array;
  contentType?: string;
  /** Follow redirects (GET), up to 10. */
  follow?: boolean;
  /** Socket peer address the app sees (default 127.0.0.1). */
  remoteAddress?: string;
  secure?: boolean;
}

/**
 * Drive an Application in-process, no sockets: the request goes straight to
 * `app.handle`. Cookies persist between calls, like a browser.
 * @example
 * const client = new TestClient(app);
 * const res = await client.post('/login/', { form: { username: 'ann', password: 'pw' } });
 * expect(res.status).toBe(302);
 */
export class TestClient {
  readonly cookies = new CookieJar();
  readonly #app: Application;
  readonly #defaultHeaders: Record<string, string>;

  constructor(app: Application, options: { host?: string; headers?: Record<string, string> } = {}) {
    this.#app = app;
    this.#defaultHeaders = { host: options.host ?? 'testserver', ...lowerKeys(options.headers ?? {}) };
  }

  get(path: string, options?: RequestOptions): Promise<TestResponse> {
    return this.request('GET', path, options);
  }
  head(path: string, options?: RequestOptions): Promise<TestResponse> {
    return this.request('HEAD', path, options);
  }
  options(path: string, options?: RequestOptions): Promise<TestResponse> {
    return this.request('OPTIONS', path, options);
  }
  post(path: string, options?: RequestOptions): Promise<TestResponse> {
    return this.request('POST', path, options);
  }
  put(path: string, options?: RequestOptions): Promise<TestResponse> {
    return this.request('PUT', path, options);
  }
  patch(path: string, options?: RequestOptions): Promise<TestResponse> {
    return this.request('PATCH', path, options);
  }
  delete(path: string, options?: RequestOptions): Promise<TestResponse> {
    return this.request('DELETE', path, options);
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<TestResponse> {
    let response = await this.#once(method, path, options);
    let hops = 0;
    while (options.follow && response.status >= 300 && response.status < 400 && hops++ < 10) {
      const location = response.headers.get('location');
      if (!location) break;
      const next = location.replace(/^https?:\/\/[^/]+/, '');
      response = await this.#once(response.status === 307 || response.status === 308 ? method : 'GET', next, { headers: options.headers ?? {} });
    }
    return response;
  }

  async #once(method: string, path: string, options: RequestOptions): Promise<TestResponse> {
    const headers: Record<string, string> = { ...this.#defaultHeaders, ...lowerKeys(options.headers ?? {}) };
    const cookie = this.cookies.header();
    if (cookie && headers['cookie'] === undefined) headers['cookie'] = cookie;
    const { body, contentType } = encodeBody(options);
    if (contentType && headers['content-type'] === undefined) headers['content-type'] = contentType;
    if (body) headers['content-length'] ??= String(body.byteLength);

    const request = new HttpRequest({
      method,
      url: withQuery(path, options.query),
      headers,
      body: body ? oneChunk(body) : null,
      remoteAddress: options.remoteAddress ?? '127.0.0.1',
      encrypted: options.secure === true,
    });
    const response = await this.#app.handle(request);
    const setCookie = response.headers.raw['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) this.cookies.apply(line);
    return new TestResponse(response, method === 'HEAD');
  }
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (Array.isArray(v)) for (const item of v) params.append(k, String(item));
    else params.append(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

function encodeBody(options: RequestOptions): { body: Buffer | null; contentType: string | null } {
  if (options.json !== undefined) return { body: Buffer.from(JSON.stringify(options.json)), contentType: 'application/json' };
  if (options.form) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(options.form)) {
      if (typeof v === 'string') params.append(k, v);
      else for (const item of v) params.append(k, item);
    }
    return { body: Buffer.from(params.toString()), contentType: 'application/x-www-form-urlencoded' };
  }
  if (options.multipart) return encodeMultipart(options.multipart);
  if (options.body !== undefined) {
    return { body: Buffer.from(options.body), contentType: options.contentType ?? 'application/octet-stream' };
  }
  return { body: null, contentType: null };
}

function encodeMultipart(spec: NonNullable<RequestOptions['multipart']>): { body: Buffer; contentType: string } {
  const boundary = `----atrium${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(spec.fields ?? {})) {
    for (const item of typeof value === 'string' ? [value] : value) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${item}\r\n`));
    }
  }
  for (const file of spec.files ?? []) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.field)}"; filename="${quote(file.filename)}"\r\n` +
          `Content-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

function quote(s: string): string {
  return s.replace(/"/g, '%22').replace(/\r|\n/g, ' ');
}

async function* oneChunk(body: Buffer): AsyncIterable<Uint8Array> {
  yield body;
}
