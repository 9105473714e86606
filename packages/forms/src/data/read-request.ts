import { QueryDict, type HttpRequest } from '@atrium/core';
import type { FormDataSource, FormFilesSource } from './form-input.js';

/** What a form binds to, read from a request. */
export interface RequestData {
  data: FormDataSource;
  files: FormFilesSource;
}

const NO_FILES: FormFilesSource = new Map();

/**
 * The data a request submits to a form: the query string for GET and HEAD
 * (search forms), else the body: JSON when the Content-Type says so,
 * otherwise urlencoded or multipart fields and files. Body errors (413, 415,
 * malformed JSON -> 400) propagate as the HttpErrors core raises.
 * @example const { data, files } = await readRequestData(request);
 */
export async function readRequestData(request: HttpRequest): Promise<RequestData> {
  if (request.method === 'GET' || request.method === 'HEAD') return { data: request.query, files: NO_FILES };
  const type = request.contentType;
  if (type === 'application/json' || type.endsWith('+json')) {
    const body = await request.json();
    // A JSON array or scalar is not a set of named fields: bind nothing, so every required field reports 'required'.
    const data = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    return { data, files: NO_FILES };
  }
  if (type === '' && (await request.body()).length === 0) return { data: new QueryDict(), files: NO_FILES };
  const form = await request.form();
  return { data: form.fields, files: form.files };
}
