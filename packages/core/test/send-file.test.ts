import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Http404 } from '../src/errors.js';
import { HttpRequest } from '../src/http/request.js';
import { FileBody, type HttpResponse } from '../src/http/response.js';
import { contentDisposition, parseRange, sendFile } from '../src/http/send-file.js';
import { contentTypeFor } from '../src/staticfiles/mime-types.js';

const CONTENT = '0123456789abcdefghij'; // 20 bytes
const MTIME = new Date('2024-01-02T03:04:05Z');
let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atrium-send-file-'));
  file = join(dir, 'notes.txt');
  await writeFile(file, CONTENT);
  await utimes(file, MTIME, MTIME);
  await writeFile(join(dir, 'empty.bin'), '');
  await mkdir(join(dir, 'folder'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function request(headers: Record<string, string> = {}, method = 'GET'): HttpRequest {
  return new HttpRequest({ method, url: '/file', headers, body: null });
}

/** Read a FileBody the way the server adapter streams it. */
async function bodyOf(response: HttpResponse): Promise<string> {
  const body = response.body;
  if (body === null) return '';
  if (!(body instanceof FileBody)) throw new Error('expected a FileBody');
  if (body.length <= 0) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(body.path, { start: body.start, end: body.end })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('sendFile', () => {
  it('sends the whole file with type, length, validators and Accept-Ranges', async () => {
    const res = await sendFile(request(), file);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('content-length')).toBe('20');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('last-modified')).toBe('Tue, 02 Jan 2024 03:04:05 GMT');
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]+-14"$/);
    expect(res.headers.has('cache-control')).toBe(false);
    expect(res.headers.has('content-disposition')).toBe(false);
    expect(await bodyOf(res)).toBe(CONTENT);
  });

  it('sets Cache-Control from maxAge and immutable, and honours an explicit content type', async () => {
    const res = await sendFile(request(), file, { maxAge: 3600, immutable: true, contentType: 'application/x-custom' });
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600, immutable');
    expect(res.headers.get('content-type')).toBe('application/x-custom');
  });

  it('sends an empty file as an empty 200', async () => {
    const res = await sendFile(request({ range: 'bytes=0-5' }), join(dir, 'empty.bin'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('0');
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(await bodyOf(res)).toBe('');
  });

  it('throws Http404 for a missing file, a directory and a path through a file', async () => {
    await expect(sendFile(request(), join(dir, 'missing.txt'))).rejects.toBeInstanceOf(Http404);
    await expect(sendFile(request(), join(dir, 'folder'))).rejects.toMatchObject({ status: 404, code: 'E_NOT_FOUND' });
    await expect(sendFile(request(), join(file, 'below'))).rejects.toBeInstanceOf(Http404);
  });

  describe('conditional GET', () => {
    it('answers 304 when If-None-Match lists the ETag (weak or strong, in a list, or *)', async () => {
      const etag = (await sendFile(request(), file)).headers.get('etag')!;
      for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const res = await sendFile(request({ 'if-none-match': header }), file, { maxAge: 60 });
        expect(res.status, header).toBe(304);
        expect(res.body).toBeNull();
        expect(res.headers.get('etag')).toBe(etag);
        expect(res.headers.get('cache-control')).toBe('public, max-age=60');
      }
    });

    it('sends 200 when If-None-Match does not match, even if If-Modified-Since would', async () => {
      const res = await sendFile(request({ 'if-none-match': '"nope"', 'if-modified-since': 'Wed, 01 Jan 2031 00:00:00 GMT' }), file);
      expect(res.status).toBe(200);
      expect(await bodyOf(res)).toBe(CONTENT);
    });

    it('answers 304 by If-Modified-Since at or after Last-Modified, 200 before it', async () => {
      expect((await sendFile(request({ 'if-modified-since': 'Tue, 02 Jan 2024 03:04:05 GMT' }), file)).status).toBe(304);
      expect((await sendFile(request({ 'if-modified-since': 'Wed, 03 Jan 2024 00:00:00 GMT' }), file)).status).toBe(304);
      expect((await sendFile(request({ 'if-modified-since': 'Tue, 02 Jan 2024 03:04:04 GMT' }), file)).status).toBe(200);
      expect((await sendFile(request({ 'if-modified-since': 'not a date' }), file)).status).toBe(200);
    });

    it('does not apply to other methods', async () => {
      const etag = (await sendFile(request(), file)).headers.get('etag')!;
      expect((await sendFile(request({ 'if-none-match': etag }, 'POST'), file)).status).toBe(200);
    });
  });

  describe('ranges', () => {
    it('sends 206 for bytes=a-b', async () => {
      const res = await sendFile(request({ range: 'bytes=2-5' }), file);
      expect(res.status).toBe(206);
      expect(res.headers.get('content-range')).toBe('bytes 2-5/20');
      expect(res.headers.get('content-length')).toBe('4');
      expect(await bodyOf(res)).toBe('2345');
    });

    it('sends 206 for an open-ended range and clamps a last-pos past the end', async () => {
      const open = await sendFile(request({ range: 'bytes=15-' }), file);
      expect(open.status).toBe(206);
      expect(open.headers.get('content-range')).toBe('bytes 15-19/20');
      expect(await bodyOf(open)).toBe('fghij');
      const clamped = await sendFile(request({ range: 'bytes=18-1000' }), file);
      expect(clamped.headers.get('content-range')).toBe('bytes 18-19/20');
      expect(await bodyOf(clamped)).toBe('ij');
    });

    it('sends 206 for a suffix range, the whole file when the suffix is longer', async () => {
      const res = await sendFile(request({ range: 'bytes=-3' }), file);
      expect(res.status).toBe(206);
      expect(res.headers.get('content-range')).toBe('bytes 17-19/20');
      expect(await bodyOf(res)).toBe('hij');
      const longer = await sendFile(request({ range: 'bytes=-50' }), file);
      expect(longer.headers.get('content-range')).toBe('bytes 0-19/20');
      expect(await bodyOf(longer)).toBe(CONTENT);
    });

    it('answers 416 with Content-Range bytes */size when unsatisfiable', async () => {
      for (const range of ['bytes=20-', 'bytes=25-30', 'bytes=-0']) {
        const res = await sendFile(request({ range }), file);
        expect(res.status, range).toBe(416);
        expect(res.headers.get('content-range')).toBe('bytes */20');
        expect(res.body).toBeNull();
      }
    });

    it('ignores multiple, malformed and non-bytes ranges and sends the whole file', async () => {
      for (const range of ['bytes=0-1,4-5', 'bytes=5-2', 'bytes=abc', 'items=0-3', 'bytes=-', 'bytes=1-2-3']) {
        const res = await sendFile(request({ range }), file);
        expect(res.status, range).toBe(200);
        expect(res.headers.has('content-range')).toBe(false);
        expect(await bodyOf(res)).toBe(CONTENT);
      }
    });

    it('honours If-Range: a matching ETag or date gives 206, a mismatch gives 200', async () => {
      const etag = (await sendFile(request(), file)).headers.get('etag')!;
      expect((await sendFile(request({ range: 'bytes=0-1', 'if-range': etag }), file)).status).toBe(206);
      expect((await sendFile(request({ range: 'bytes=0-1', 'if-range': 'Tue, 02 Jan 2024 03:04:05 GMT' }), file)).status).toBe(206);
      for (const ifRange of ['"stale"', `W/${etag}`, 'Mon, 01 Jan 2024 00:00:00 GMT']) {
        const res = await sendFile(request({ range: 'bytes=0-1', 'if-range': ifRange }), file);
        expect(res.status, ifRange).toBe(200);
        expect(await bodyOf(res)).toBe(CONTENT);
      }
    });

    it('ignores Range on HEAD (only GET has range semantics)', async () => {
      const res = await sendFile(request({ range: 'bytes=0-1' }, 'HEAD'), file);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBe('20');
    });

    it('parseRange handles huge numbers without overflow tricks', () => {
      expect(parseRange('bytes=99999999999999999999999-', 20)).toBe('unsatisfiable');
      expect(parseRange('bytes=0-99999999999999999999999', 20)).toEqual([0, 19]);
      expect(parseRange('bytes=-99999999999999999999999', 20)).toEqual([0, 19]);
      expect(parseRange('BYTES= 3-4 ', 20)).toEqual([3, 4]);
    });
  });

  describe('downloads', () => {
    it('uses the file name for download: true', async () => {
      const res = await sendFile(request(), file, { download: true });
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="notes.txt"');
    });

    it('encodes non-ASCII names with filename* (RFC 6266) and an ASCII fallback', async () => {
      const res = await sendFile(request(), file, { download: 'Résumé (final).pdf' });
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="R_sum_ (final).pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%28final%29.pdf`);
    });

    it('strips quotes, paths and line breaks from the name', () => {
      expect(contentDisposition('a"b.txt')).toBe(`attachment; filename="a_b.txt"; filename*=UTF-8''a%22b.txt`);
      expect(contentDisposition('../../etc/passwd')).toBe('attachment; filename="passwd"');
      expect(contentDisposition('evil\r\nSet-Cookie: x=1.txt')).toBe('attachment; filename="evilSet-Cookie: x=1.txt"');
    });
  });
});

describe('contentTypeFor', () => {
  it('maps web types, adds a charset to text, and defaults to octet-stream', () => {
    expect(contentTypeFor('site.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('app.MJS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('data.json')).toBe('application/json; charset=utf-8');
    expect(contentTypeFor('logo.svg')).toBe('image/svg+xml; charset=utf-8');
    expect(contentTypeFor('photo.jpeg')).toBe('image/jpeg');
    expect(contentTypeFor('font.woff2')).toBe('font/woff2');
    expect(contentTypeFor('module.wasm')).toBe('application/wasm');
    expect(contentTypeFor('archive.zip')).toBe('application/zip');
    expect(contentTypeFor('README')).toBe('application/octet-stream');
    expect(contentTypeFor('x.__proto__')).toBe('application/octet-stream');
  });
});
