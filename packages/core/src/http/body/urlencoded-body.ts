import type { HttpRequest } from '../request.js';
import { BadRequest } from '../../errors.js';
import { QueryDict } from '../query-dict.js';
import { bodyLimits } from './body-limits.js';
import type { MediaType } from './content-type.js';
import { assertUtf8 } from './content-type.js';

/**
 * Parse an `application/x-www-form-urlencoded` body into a QueryDict.
 * Errors: 400 past DATA_UPLOAD_MAX_NUMBER_FIELDS, 413 past
 * DATA_UPLOAD_MAX_MEMORY_SIZE, 415 for a charset other than UTF-8.
 * @example const fields = await parseUrlencodedBody(request, mediaType); fields.get('title');
 */
export async function parseUrlencodedBody(request: HttpRequest, mediaType: MediaType): Promise<QueryDict> {
  assertUtf8(mediaType);
  const { maxFields } = bodyLimits(request);
  const text = (await request.body()).toString('utf8');
  try {
    return QueryDict.parse(text, maxFields);
  } catch (cause) {
    if (cause instanceof RangeError) throw tooManyFields(maxFields);
    throw cause;
  }
}

/** The 400 for a form with more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields (shared with multipart). */
export function tooManyFields(maxFields: number): BadRequest {
  return new BadRequest(
    `Invalid form: too many fields (more than ${maxFields}); send fewer fields or raise DATA_UPLOAD_MAX_NUMBER_FIELDS`,
    { code: 'E_TOO_MANY_FIELDS' },
  );
}
