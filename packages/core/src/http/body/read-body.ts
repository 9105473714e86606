import type { HttpRequest } from '../request.js';
import { PayloadTooLarge } from '../../errors.js';
import { bodyLimits } from './body-limits.js';
import { requestAborted } from './request-aborted.js';
import { assertIdentityEncoding } from './content-encoding.js';
import { assertLengthMatches, declaredContentLength } from './content-length.js';

/**
 * Read the whole request body into memory, at most DATA_UPLOAD_MAX_MEMORY_SIZE
 * bytes. A declared Content-Length over the limit is refused before reading a
 * byte; a chunked body is refused as soon as it crosses the limit.
 *
 * Errors: 413 over the limit, 400 when Content-Length disagrees with the
 * bytes received or the client aborts the upload, 415 for a Content-Encoding other than identity.
 * Prefer `request.body()`, which caches the result.
 * @example const raw = await readBody(request); // Buffer
 */
export async function readBody(request: HttpRequest): Promise<Buffer> {
  assertIdentityEncoding(request);
  const { maxMemorySize } = bodyLimits(request);
  const declared = declaredContentLength(request);
  if (declared !== undefined && declared > maxMemorySize) throw tooLarge(maxMemorySize, `declares ${declared} bytes`);
  const body = request.source.body;
  if (body === null) {
    assertLengthMatches(declared, 0);
    return Buffer.alloc(0);
  }

  const chunks: Uint8Array[] = [];
  let received = 0;
  // Pull by hand rather than `for await`: leaving the loop early would call the
  // iterator's return(), which destroys a node:http request and its socket, so
  // the 413 could never be sent. Stopping the pulls leaves the connection to
  // the server adapter.
  const iterator = body[Symbol.asyncIterator]();
  for (;;) {
    const next = await nextChunk(iterator);
    if (next.done) break;
    received += next.value.byteLength;
    if (received > maxMemorySize) throw tooLarge(maxMemorySize, `is over ${maxMemorySize} bytes`);
    if (declared !== undefined && received > declared) assertLengthMatches(declared, received);
    chunks.push(next.value);
  }
  assertLengthMatches(declared, received);
  return Buffer.concat(chunks, received);
}

/** The next chunk; a stream error (the client aborted, the connection broke) becomes a 400. */
async function nextChunk(iterator: AsyncIterator<Uint8Array>): Promise<IteratorResult<Uint8Array>> {
  try {
    return await iterator.next();
  } catch (error) {
    throw requestAborted(error);
  }
}

function tooLarge(limit: number, what: string): PayloadTooLarge {
  return new PayloadTooLarge(
    `The request body ${what}, more than DATA_UPLOAD_MAX_MEMORY_SIZE (${limit} bytes); send less data or raise the setting`,
  );
}
