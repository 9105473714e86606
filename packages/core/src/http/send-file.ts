import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename } from 'node:path';
import { Http404 } from '../errors.js';
import type { HttpRequest } from './request.js';
import { FileBody, HttpResponse } from './response.js';
import { contentTypeFor } from '../staticfiles/mime-types.js';

export interface SendFileOptions {
  /** Overrides the type guessed from the extension. */
  contentType?: string;
  /** Seconds; adds `Cache-Control: public, max-age=N`. No Cache-Control header when omitted. */
  maxAge?: number;
  /** Adds `immutable` to Cache-Control (content-hashed names never change). */
  immutable?: boolean;
  /** Send as an attachment: `true` uses the file's own name, a string names the download. */
  download?: string | boolean;
}

/**
 * A response that streams a file from disk, with validators (ETag,
 * Last-Modified), conditional GET (304) and single byte ranges (206/416).
 * Throws Http404 when the path is missing or not a regular file; the caller
 * must already have checked that `filePath` is one it may serve.
 * @example return sendFile(request, join(MEDIA_ROOT, 'report.pdf'), { download: 'Report 2024.pdf' });
 */
export async function sendFile(request: HttpRequest, filePath: string, options: SendFileOptions = {}): Promise<HttpResponse> {
  const stats = await statFile(filePath);
  const size = stats.size;
  const etag = entityTag(stats);
  const lastModified = new Date(wholeSeconds(stats.mtimeMs)).toUTCString();

  const response = new HttpResponse(null);
  response.headers.set('etag', etag);
  response.headers.set('last-modified', lastModified);
  if (options.maxAge !== undefined) {
    response.headers.set('cache-control', `public, max-age=${Math.max(0, Math.floor(options.maxAge))}${options.immutable ? ', immutable' : ''}`);
  }

  const isRead = request.method === 'GET' || request.method === 'HEAD';
  if (isRead && isNotModified(request, etag, stats.mtimeMs)) {
    response.status = 304;
    return response;
  }

  response.headers.set('content-type', options.contentType ?? contentTypeFor(filePath));
  response.headers.set('accept-ranges', 'bytes');
  if (options.download) {
    const name = typeof options.download === 'string' ? options.download : basename(filePath);
    response.headers.set('content-disposition', contentDisposition(name));
  }

  // RFC 9110 §14.2: GET is the only method with defined range handling.
  const range = request.method === 'GET' && size > 0 && rangeApplies(request, etag, stats.mtimeMs) ? parseRange(request.header('range'), size) : null;
  if (range === 'unsatisfiable') {
    response.status = 416;
    response.headers.set('content-range', `bytes */${size}`);
    response.headers.delete('content-disposition');
    response.headers.set('content-length', 0);
    return response;
  }
  const [start, end] = range ?? [0, size - 1];
  if (range) {
    response.status = 206;
    response.headers.set('content-range', `bytes ${start}-${end}/${size}`);
  }
  response.headers.set('content-length', end - start + 1);
  response.body = new FileBody(filePath, start, end);
  return response;
}

async function statFile(filePath: string): Promise<Stats> {
  let stats: Stats;
  try {
    stats = await stat(filePath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG' || code === 'EACCES') {
      throw new Http404(`File '${basename(filePath)}' was not found`);
    }
    throw error;
  }
  if (!stats.isFile()) throw new Http404(`'${basename(filePath)}' is not a file`);
  return stats;
}

/**
 * A strong validator from mtime and size, as nginx builds it. Strong so that
 * If-Range can match it (RFC 9110 §13.1.5 requires strong comparison there).
 */
function entityTag(stats: Stats): string {
  return `"${Math.floor(stats.mtimeMs).toString(16)}-${stats.size.toString(16)}"`;
}

/** HTTP dates have one-second resolution; compare file times at that resolution. */
function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** RFC 9110 §13.2.2: If-None-Match wins; If-Modified-Since only counts without it. */
function isNotModified(request: HttpRequest, etag: string, mtimeMs: number): boolean {
  const ifNoneMatch = request.header('if-none-match');
  if (ifNoneMatch !== undefined) {
    const tags = parseEntityTags(ifNoneMatch);
    return tags.includes('*') || tags.some((tag) => weakMatch(tag, etag));
  }
  const ifModifiedSince = request.header('if-modified-since');
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && wholeSeconds(mtimeMs) <= since;
}

function parseEntityTags(header: string): string[] {
  return header.match(/\*|(?:W\/)?"[^"]*"/g) ?? [];
}

function weakMatch(a: string, b: string): boolean {
  return stripWeak(a) === stripWeak(b);
}

function stripWeak(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/** If-Range (RFC 9110 §13.1.5): a range is only sent when the validator still matches exactly. */
function rangeApplies(request: HttpRequest, etag: string, mtimeMs: number): boolean {
  const ifRange = request.header('if-range')?.trim();
  if (ifRange === undefined) return true;
  if (ifRange.startsWith('"') || ifRange.startsWith('W/')) return ifRange === etag;
  const date = Date.parse(ifRange);
  return !Number.isNaN(date) && date === wholeSeconds(mtimeMs);
}

/**
 * Parse a single `bytes=a-b`, `bytes=a-` or `bytes=-n` range. Returns null to
 * send the whole file (no header, a malformed one, or several ranges, which
 * RFC 9110 §14.2 lets a server ignore) and 'unsatisfiable' for 416.
 */
export function parseRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | null {
  if (header === undefined) return null;
  const match = /^bytes=[ \t]*(\d*)-(\d*)[ \t]*$/i.exec(header.trim());
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return null;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0) return 'unsatisfiable';
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(first);
  const end = last === '' ? Infinity : Number(last);
  if (end < start) return null; // invalid (RFC 9110 §14.1.1), so ignored rather than 416
  if (start >= size) return 'unsatisfiable';
  return [start, Math.min(end, size - 1)];
}

/**
 * `attachment` with an ASCII `filename` for old clients and an RFC 8187
 * `filename*` when the name needs it (RFC 6266 §4.3).
 */
export function contentDisposition(name: string): string {
  // A download name is a name, never a path; drop control characters outright.
  const clean = basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '') || 'download';
  const fallback = clean.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  if (fallback === clean) return `attachment; filename="${clean}"`;
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc8187(clean)}`;
}

/** Percent-encode everything outside RFC 8187's attr-char set. */
function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
