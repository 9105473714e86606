import type { HttpRequest } from '../request.js';
import { UnsupportedMediaType } from '../../errors.js';
import { QueryDict } from '../query-dict.js';
import { hasBody } from './content-length.js';
import { quoteForMessage, requestMediaType } from './content-type.js';
import type { FormData } from './form-data.js';
import { parseMultipartBody } from './multipart-body.js';
import { parseUrlencodedBody } from './urlencoded-body.js';

const FORM_TYPES = 'application/x-www-form-urlencoded or multipart/form-data';

/**
 * Form fields and uploaded files from an urlencoded or multipart body. A
 * request without a body (a GET, an empty POST) gives an empty form.
 *
 * The parser is picked by the exact media type: anything else, however close
 * (`application/x-www-form-urlencodedX`, `constructor`), is a 415.
 * Prefer `request.form()`, which caches the result.
 * @example const { fields, files } = await parseFormBody(request); fields.get('title'); files.get('avatar')?.[0];
 */
export async function parseFormBody(request: HttpRequest): Promise<FormData> {
  if (!hasBody(request)) return { fields: new QueryDict(), files: new Map() };
  const mediaType = requestMediaType(request, FORM_TYPES);
  switch (mediaType.type) {
    case 'application/x-www-form-urlencoded':
      return { fields: await parseUrlencodedBody(request, mediaType), files: new Map() };
    case 'multipart/form-data':
      return parseMultipartBody(request, mediaType);
    default:
      throw new UnsupportedMediaType(
        `Cannot read form data from a ${quoteForMessage(request.header('content-type') ?? '')} body; send ${FORM_TYPES} (use request.json() for JSON)`,
      );
  }
}
