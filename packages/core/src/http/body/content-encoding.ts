import type { HttpRequest } from '../request.js';
import { UnsupportedMediaType } from '../../errors.js';
import { quoteForMessage } from './content-type.js';

/**
 * Refuse a compressed request body with 415. We do not decompress request
 * bodies: a small gzip body can inflate past every size limit (a zip bomb),
 * and no browser sends one.
 */
export function assertIdentityEncoding(request: HttpRequest): void {
  const encoding = request.header('content-encoding');
  if (encoding === undefined) return;
  const value = encoding.trim().toLowerCase();
  if (value === '' || value === 'identity') return;
  throw new UnsupportedMediaType(
    `Content-Encoding ${quoteForMessage(encoding)} is not supported for request bodies: Atrium does not decompress request bodies; send the body uncompressed`,
  );
}
