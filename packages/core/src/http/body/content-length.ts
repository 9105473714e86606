import type { HttpRequest } from '../request.js';
import { BadRequest } from '../../errors.js';

/**
 * The declared `Content-Length`, or undefined when absent (chunked). A value
 * that is not one decimal number (`-1`, `1e3`, `5, 6` from a repeated header)
 * is a 400: guessing would let the declared and real lengths disagree.
 */
export function declaredContentLength(request: HttpRequest): number | undefined {
  const header = request.header('content-length');
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (!/^\d{1,15}$/.test(trimmed)) {
    throw new BadRequest(`Invalid Content-Length ${JSON.stringify(header)}; it must be one decimal number of bytes`, {
      code: 'E_INVALID_CONTENT_LENGTH',
    });
  }
  return Number(trimmed);
}

/**
 * Whether the request carries a body. Per RFC 9112 §6.3 a request has one only
 * with Content-Length or Transfer-Encoding; for GET and HEAD we also treat a
 * stream without either as empty, since node:http always hands us one.
 */
export function hasBody(request: HttpRequest): boolean {
  if (request.source.body === null) return false;
  const length = declaredContentLength(request);
  if (length !== undefined) return length > 0;
  if (request.method === 'GET' || request.method === 'HEAD') return request.header('transfer-encoding') !== undefined;
  return true;
}

/** 400 when the bytes received differ from the declared Content-Length. */
export function assertLengthMatches(declared: number | undefined, received: number): void {
  if (declared !== undefined && declared !== received) {
    throw new BadRequest(`Content-Length mismatch: the header declared ${declared} bytes but the body had ${received}`, {
      code: 'E_CONTENT_LENGTH_MISMATCH',
    });
  }
}
