import { constants, createGzip, gzip as gzipAsync, gzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { FileBody, type HttpResponse } from '../http/response.js';
import type { HttpRequest } from '../http/request.js';
import type { MiddlewareFactory } from './types.js';

const gzipInPool = promisify(gzipAsync);
// Below this size compressing inline beats a round trip to the libuv thread pool;
// above it, compress off the event loop so one large page does not stall others.
const SYNC_LIMIT = 64 * 1024;

/**
 * Django's GZipMiddleware: gzip text-like 200 responses (text/*, JSON,
 * JavaScript, XML, SVG) of at least GZIP_MIN_LENGTH bytes when the client
 * accepts gzip. Streamed bodies are compressed chunk by chunk and flushed after
 * each, so Server-Sent Events still arrive promptly. Adds `Vary:
 * Accept-Encoding` and weakens strong ETags (the bytes are no longer the ones
 * the ETag named). File bodies are left alone: they serve byte ranges.
 * @example export default defineSettings({ MIDDLEWARE: ['security', 'gzip', 'common'], GZIP_MIN_LENGTH: 200 });
 */
export const gzipMiddleware: MiddlewareFactory = (app) => {
  const minLength = app.settings.GZIP_MIN_LENGTH;
  return async function gzip(request, next) {
    const response = await next(request);
    if (response.status !== 200 || response.body === null || response.body instanceof FileBody) return response;
    if (response.headers.has('content-encoding') || !isCompressible(response.headers.get('content-type'))) return response;

    const body = response.body;
    const inMemory = typeof body === 'string' || body instanceof Uint8Array;
    if (inMemory && shorterThan(body, minLength)) return response;

    // The response now depends on Accept-Encoding, whether or not this client gets gzip.
    addVary(response);
    if (!acceptsGzip(request)) return response;

    if (inMemory) {
      const input = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      const compressed = input.byteLength < SYNC_LIMIT ? gzipSync(input) : await gzipInPool(input);
      // Only worth it when smaller (tiny or already-compressed content grows).
      if (compressed.byteLength >= input.byteLength) return response;
      response.body = compressed;
      response.headers.set('content-length', compressed.byteLength);
    } else {
      response.body = gzipStream(body);
      response.headers.delete('content-length');
    }
    response.headers.set('content-encoding', 'gzip');
    const etag = response.headers.get('etag');
    if (etag?.startsWith('"')) response.headers.set('etag', `W/${etag}`);
    return response;
  };
};

/**
 * True for text/*, JSON, JavaScript, XML and any `+json`/`+xml` type (SVG is image/svg+xml).
 * @example isCompressible('application/json; charset=utf-8') // true
 */
export function isCompressible(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const semi = contentType.indexOf(';');
  const mime = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return COMPRESSIBLE.test(mime);
}

const COMPRESSIBLE = /^(?:text\/[\w.+-]+|application\/(?:json|(?:x-)?javascript|ecmascript|xml)|[\w.-]+\/[\w.-]+\+(?:json|xml))$/;

/**
 * Whether Accept-Encoding allows gzip: `gzip` (or `x-gzip`) with q > 0, or
 * `*` with q > 0 when gzip is not named (RFC 9110 section 12.5.3).
 * @example acceptsGzip(request) // true for 'gzip, deflate, br'; false for 'gzip;q=0'
 */
export function acceptsGzip(request: HttpRequest): boolean {
  const header = request.header('accept-encoding');
  if (!header) return false;
  let star: boolean | null = null;
  for (const part of header.split(',', 32)) {
    const [name = '', ...params] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key?.trim().toLowerCase() === 'q') q = Number(value?.trim());
    }
    const ok = Number.isFinite(q) && q > 0;
    if (coding === '*') star = ok;
    else return ok;
  }
  return star === true;
}

/** Compress an async iterable as one gzip stream, flushing after each chunk. */
async function* gzipStream(source: AsyncIterable<string | Uint8Array>): AsyncGenerator<Buffer> {
  const zip = createGzip();
  const out: Buffer[] = [];
  let failure: Error | null = null;
  zip.on('data', (chunk: Buffer) => out.push(chunk));
  // Without a listener a zlib error would be an uncaught exception and end the process.
  zip.on('error', (error) => (failure = error));
  try {
    for await (const chunk of source) {
      const input = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      if (input.byteLength === 0) continue;
      zip.write(input);
      await new Promise<void>((resolve) => zip.flush(constants.Z_SYNC_FLUSH, () => resolve()));
      if (failure) throw failure;
      if (out.length > 0) yield Buffer.concat(out.splice(0));
    }
    await new Promise<void>((resolve, reject) => {
      zip.once('end', resolve);
      zip.once('error', reject);
      zip.end();
    });
    if (out.length > 0) yield Buffer.concat(out.splice(0));
  } finally {
    // Also runs when the client goes away mid-stream: free zlib's native memory.
    zip.close();
  }
}

function shorterThan(body: string | Uint8Array, bytes: number): boolean {
  if (typeof body !== 'string') return body.byteLength < bytes;
  // UTF-8 never has fewer bytes than UTF-16 code units, so long strings skip the byte count.
  return body.length < bytes && Buffer.byteLength(body, 'utf8') < bytes;
}

function addVary(response: HttpResponse): void {
  const vary = response.headers.get('vary');
  if (!vary) response.headers.set('vary', 'Accept-Encoding');
  else if (!/(?:^|,)\s*(?:accept-encoding|\*)\s*(?:,|$)/i.test(vary)) response.headers.set('vary', `${vary}, Accept-Encoding`);
}
