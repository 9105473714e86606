import type { HttpRequest } from '../request.js';
import { BadRequest, UnsupportedMediaType } from '../../errors.js';
import { assertUtf8, quoteForMessage, requestMediaType } from './content-type.js';
import { parseJsonSafely } from './safe-json.js';

/** `application/json` or any structured-syntax `+json` type (RFC 6839), e.g. `application/problem+json`. */
export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json');
}

/**
 * The request body parsed as JSON. `__proto__`, `constructor` and `prototype`
 * keys are dropped at any depth.
 *
 * Errors: 415 unless the Content-Type is JSON (or `+json`) in UTF-8; 400 for
 * an empty or malformed body (the message gives the parser's position); 413
 * over DATA_UPLOAD_MAX_MEMORY_SIZE.
 * @example const { title } = (await parseJsonBody(request)) as { title: string };
 */
export async function parseJsonBody(request: HttpRequest): Promise<unknown> {
  const mediaType = requestMediaType(request, 'application/json');
  if (!isJsonMediaType(mediaType.type)) {
    throw new UnsupportedMediaType(
      `Expected a JSON body but the Content-Type is ${quoteForMessage(request.header('content-type') ?? '')}; send application/json`,
    );
  }
  assertUtf8(mediaType);
  // RFC 8259 §8.1: a parser may ignore a byte order mark; JSON.parse would not.
  const text = (await request.body()).toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new BadRequest('Invalid JSON body: empty body; send a JSON document', { code: 'E_EMPTY_BODY' });
  try {
    return parseJsonSafely(text);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new BadRequest(`Invalid JSON body: ${detail}`, { code: 'E_MALFORMED_JSON', cause });
  }
}
