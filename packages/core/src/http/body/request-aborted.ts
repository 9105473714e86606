import { BadRequest } from '../../errors.js';

/**
 * The 400 for a body stream that failed before its end: the client aborted
 * the upload or the connection broke. It is the client's doing, so it must
 * not be logged or reported as a server error (Django: UnreadablePostError).
 */
export function requestAborted(cause: unknown): BadRequest {
  return new BadRequest('The request body ended early: the client aborted the upload', { code: 'E_REQUEST_ABORTED', cause });
}
