import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ServerResponse } from 'node:http';
import { FileBody, type HttpResponse } from '../http/response.js';
import type { HeaderValue } from '../http/headers.js';

/**
 * The one list every response's headers are written through (see writeHead).
 * It may hold the previous response's header names and values until the
 * next response overwrites them; node keeps the same text in that
 * response's `_header` anyway.
 */
const headerList: HeaderValue[] = [];

/**
 * `res.writeHead(status, headers)` with the header store as node's flat
 * `[name, value, name, value...]` form. Given an object, writeHead walks it
 * with for-in plus a hasOwn call per name (the store inherits nothing, so
 * both are wasted); given this list it reads the pairs by index. Names are
 * unique (object keys), so writeHead sends exactly the same header lines
 * either way. writeHead reads the list synchronously, keeps no reference to
 * it and calls no user code, so one module-level list serves every response
 * and no array (about 180 bytes) is allocated per response.
 */
function writeHead(res: ServerResponse, status: number, headers: Record<string, HeaderValue>): void {
  const list = headerList;
  let length = 0;
  for (const name in headers) {
    list[length++] = name;
    list[length++] = headers[name]!;
  }
  // Setting length is a runtime call in V8: skip it when the count is unchanged (a route's responses have the same headers).
  if (list.length !== length) list.length = length;
  res.writeHead(status, list);
}

/**
 * Write an HttpResponse to node's ServerResponse. HEAD and bodiless statuses
 * send headers only (Content-Length kept, as RFC 9110 allows for HEAD).
 */
export function writeResponse(res: ServerResponse, response: HttpResponse, isHead: boolean): void {
  const headers = response.headers.raw;
  const body = response.body;
  const noBody = isHead || response.status === 204 || response.status === 304 || (response.status >= 100 && response.status < 200);

  if (typeof body === 'string') {
    if (headers['content-length'] === undefined && response.status !== 204 && response.status !== 304) {
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    writeHead(res, response.status, headers);
    if (noBody) res.end();
    else res.end(body);
    return;
  }
  if (body === null || body instanceof Uint8Array) {
    if (headers['content-length'] === undefined && response.status !== 204 && response.status !== 304) {
      headers['content-length'] = String(body === null ? 0 : body.byteLength);
    }
    writeHead(res, response.status, headers);
    if (noBody || body === null) res.end();
    else res.end(body);
    return;
  }
  if (body instanceof FileBody) {
    headers['content-length'] ??= String(Math.max(0, body.length));
    writeHead(res, response.status, headers);
    if (noBody || body.length <= 0) {
      res.end();
      return;
    }
    const file = createReadStream(body.path, { start: body.start, end: body.end });
    file.on('error', () => res.destroy());
    res.on('close', () => file.destroy());
    file.pipe(res);
    return;
  }
  writeHead(res, response.status, headers);
  if (noBody) {
    res.end();
    return;
  }
  const chunks = Readable.from(body, { objectMode: false });
  // A failing generator must end this one response, not the process.
  chunks.on('error', () => res.destroy());
  res.on('close', () => chunks.destroy());
  chunks.pipe(res);
}
