import { createReadStream } from 'node:fs';
import { FileBody, type HttpResponse } from '../http/response.js';
import type { ResponseHeaders } from '../http/headers.js';

/** What the test client returns: the response plus helpers to read the body once or many times. */
export class TestResponse {
  readonly response: HttpResponse;
  readonly #isHead: boolean;
  #bytes: Promise<Buffer> | undefined;

  constructor(response: HttpResponse, isHead: boolean) {
    this.response = response;
    this.#isHead = isHead;
  }

  get status(): number {
    return this.response.status;
  }

  get headers(): ResponseHeaders {
    return this.response.headers;
  }

  /** The body bytes, read as a server adapter would send them (empty for HEAD). */
  bytes(): Promise<Buffer> {
    this.#bytes ??= this.#isHead ? Promise.resolve(Buffer.alloc(0)) : readBody(this.response);
    return this.#bytes;
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  async json<T = unknown>(): Promise<T> {
    return JSON.parse(await this.text()) as T;
  }
}

async function readBody(response: HttpResponse): Promise<Buffer> {
  const body = response.body;
  if (body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  const source: AsyncIterable<string | Uint8Array> =
    body instanceof FileBody ? (body.length > 0 ? createReadStream(body.path, { start: body.start, end: body.end }) : emptyIterable()) : body;
  for await (const chunk of source) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function* emptyIterable(): AsyncIterable<Uint8Array> {}
