import type { HttpRequest } from '../request.js';
import { BadRequest } from '../../errors.js';
import { bodyLimits } from './body-limits.js';
import { assertIdentityEncoding } from './content-encoding.js';
import { declaredContentLength } from './content-length.js';
import type { MediaType } from './content-type.js';
import type { FormData } from './form-data.js';
import { MultipartReader } from './multipart-reader.js';
import { UploadDir } from './upload-dir.js';

/** RFC 2046 §5.1.1 bchars: 1 to 70 of these, not ending in a space. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

/**
 * Parse a multipart/form-data body with busboy. Files stream to a private temp
 * folder (under FILE_UPLOAD_TEMP_DIR, else the OS temp dir) that is removed
 * when the request finishes, or at once when parsing fails.
 *
 * Errors: 400 for a missing or bad boundary, a malformed body, too many
 * fields/files, a Content-Length mismatch or an aborted upload; 413 for fields
 * over DATA_UPLOAD_MAX_MEMORY_SIZE or a file over FILE_UPLOAD_MAX_SIZE.
 * @example const { fields, files } = await parseMultipartBody(request, mediaType);
 */
export async function parseMultipartBody(request: HttpRequest, mediaType: MediaType): Promise<FormData> {
  const boundary = multipartBoundary(mediaType);
  assertIdentityEncoding(request);
  const declared = declaredContentLength(request);
  const limits = bodyLimits(request);
  const uploads = new UploadDir(limits.tempDir);
  request.onFinish(() => uploads.remove());
  const body = request.source.body ?? emptyBody();
  return new MultipartReader(boundary, limits, uploads).read(body, declared);
}

/** The validated `boundary` parameter; 400 when missing, over 70 characters or with characters RFC 2046 forbids. */
export function multipartBoundary(mediaType: MediaType): string {
  const boundary = mediaType.params.get('boundary');
  if (boundary === undefined || boundary === '') {
    throw new BadRequest('multipart/form-data needs a boundary parameter in its Content-Type', { code: 'E_MULTIPART_BOUNDARY' });
  }
  if (boundary.length > 70) {
    throw new BadRequest(`The multipart boundary is ${boundary.length} characters long; RFC 2046 allows at most 70`, {
      code: 'E_MULTIPART_BOUNDARY',
    });
  }
  if (!BOUNDARY.test(boundary)) {
    throw new BadRequest('The multipart boundary has characters RFC 2046 does not allow (letters, digits and \'()+_,-./:=? only)', {
      code: 'E_MULTIPART_BOUNDARY',
    });
  }
  return boundary;
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}
