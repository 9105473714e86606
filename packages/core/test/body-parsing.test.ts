import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpRequest } from '../src/http/request.js';
import { readBody, parseJsonBody, parseFormBody } from '../src/http/body/index.js';
import { parseMediaType } from '../src/http/body/content-type.js';
import { sanitizeFilename } from '../src/http/uploaded-file.js';
import { validateSettings } from '../src/settings/validate-settings.js';
import type { AppContext } from '../src/app/context.js';
import { HttpError } from '../src/errors.js';

let tempRoot: string;

beforeEach(async () => {
  tempRoot = await mkdtemp(join(tmpdir(), 'atrium-body-test-'));
});
afterEach(async () => {
  await rm(tempRoot, { recursive: true, force: true });
});

interface RequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: AsyncIterable<Uint8Array> | null;
  settings?: Record<string, unknown>;
}

function makeRequest(init: RequestInit = {}): HttpRequest {
  const request = new HttpRequest({ method: init.method ?? 'POST', url: '/', headers: init.headers ?? {}, body: init.body ?? null });
  const settings = validateSettings({ SECRET_KEY: 'x'.repeat(40), FILE_UPLOAD_TEMP_DIR: tempRoot, ...init.settings }, { env: {} });
  request.app = { settings } as unknown as AppContext;
  return request;
}

/** Yields the given pieces; counts how many were pulled. */
function chunks(...pieces: Array<string | Uint8Array>): AsyncIterable<Uint8Array> & { pulled: number } {
  const source = {
    pulled: 0,
    async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
      for (const piece of pieces) {
        source.pulled++;
        yield typeof piece === 'string' ? Buffer.from(piece) : piece;
      }
    },
  };
  return source;
}

function split(buffer: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += size) out.push(buffer.subarray(i, i + size));
  return out;
}

function jsonRequest(text: string, headers: Record<string, string> = {}, settings?: Record<string, unknown>): HttpRequest {
  return makeRequest({
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers },
    body: chunks(text),
    ...(settings ? { settings } : {}),
  });
}

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

type Part = { name: string; value: string } | { name: string; filename: string; content: string | Buffer; contentType?: string };

const BOUNDARY = '----atrium-test-boundary-7MA4YWxkTrZu0gW';

function multipartBody(parts: Part[], boundary = BOUNDARY): Buffer {
  const out: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if ('filename' in part) head += `; filename="${part.filename}"\r\nContent-Type: ${part.contentType ?? 'application/octet-stream'}`;
    out.push(Buffer.from(`${head}\r\n\r\n`), Buffer.from('filename' in part ? part.content : part.value), Buffer.from('\r\n'));
  }
  out.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(out);
}

function multipartRequest(
  body: Buffer | AsyncIterable<Uint8Array>,
  settings?: Record<string, unknown>,
  boundary = BOUNDARY,
): HttpRequest {
  const headers: Record<string, string> = { 'content-type': `multipart/form-data; boundary=${boundary}` };
  if (Buffer.isBuffer(body)) headers['content-length'] = String(body.length);
  return makeRequest({ headers, body: Buffer.isBuffer(body) ? chunks(...split(body, 1000)) : body, ...(settings ? { settings } : {}) });
}

describe('readBody', () => {
  it('reads every chunk and checks Content-Length', async () => {
    const request = makeRequest({ headers: { 'content-length': '11' }, body: chunks('hello', ' ', 'world') });
    expect((await readBody(request)).toString()).toBe('hello world');
  });

  it('refuses a declared Content-Length over the limit before reading (413)', async () => {
    const body = chunks('x');
    const request = makeRequest({ headers: { 'content-length': '101' }, body, settings: { DATA_UPLOAD_MAX_MEMORY_SIZE: 100 } });
    const error = await failure(readBody(request));
    expect(error.status).toBe(413);
    expect(error.code).toBe('E_PAYLOAD_TOO_LARGE');
    expect(error.message).toContain('DATA_UPLOAD_MAX_MEMORY_SIZE');
    expect(body.pulled).toBe(0);
  });

  it('stops reading a chunked body once it crosses the limit (413)', async () => {
    const body = chunks(...Array.from({ length: 50 }, () => 'x'.repeat(10)));
    const request = makeRequest({ body, settings: { DATA_UPLOAD_MAX_MEMORY_SIZE: 100 } });
    const error = await failure(readBody(request));
    expect(error.status).toBe(413);
    expect(body.pulled).toBe(11);
  });

  it('turns a body stream that fails mid-way (client abort) into a 400, not a 500', async () => {
    async function* abortingBody(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('{"partial":');
      throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    }
    const error = await failure(readBody(makeRequest({ headers: { 'content-type': 'application/json' }, body: abortingBody() })));
    expect(error.status).toBe(400);
    expect(error.code).toBe('E_REQUEST_ABORTED');
    expect((error.cause as Error).message).toBe('aborted');
  });

  it('accepts a body of exactly the limit', async () => {
    const request = makeRequest({ body: chunks('x'.repeat(100)), settings: { DATA_UPLOAD_MAX_MEMORY_SIZE: 100 } });
    expect((await readBody(request)).length).toBe(100);
  });

  it('rejects a Content-Length that does not match the body (400)', async () => {
    const short = await failure(readBody(makeRequest({ headers: { 'content-length': '10' }, body: chunks('12345') })));
    expect(short.status).toBe(400);
    expect(short.code).toBe('E_CONTENT_LENGTH_MISMATCH');
    expect(short.message).toContain('declared 10 bytes but the body had 5');
    const long = await failure(readBody(makeRequest({ headers: { 'content-length': '3' }, body: chunks('12345') })));
    expect(long.code).toBe('E_CONTENT_LENGTH_MISMATCH');
    const bogus = await failure(readBody(makeRequest({ headers: { 'content-length': '-1' }, body: chunks('1') })));
    expect(bogus.code).toBe('E_INVALID_CONTENT_LENGTH');
  });

  it('refuses a compressed body with 415 instead of decompressing it', async () => {
    const request = makeRequest({ headers: { 'content-encoding': 'gzip' }, body: chunks('x') });
    const error = await failure(readBody(request));
    expect(error.status).toBe(415);
    expect(error.message).toContain('does not decompress request bodies');
    const identity = makeRequest({ headers: { 'content-encoding': 'identity' }, body: chunks('ok') });
    expect((await readBody(identity)).toString()).toBe('ok');
  });

  it('gives an empty buffer when there is no body', async () => {
    expect((await readBody(makeRequest({ method: 'GET' }))).length).toBe(0);
  });
});

describe('parseJsonBody', () => {
  it('parses JSON and +json types', async () => {
    expect(await parseJsonBody(jsonRequest('{"a":1,"b":[true,null]}', { 'content-type': 'application/json; charset=utf-8' }))).toEqual({
      a: 1,
      b: [true, null],
    });
    expect(await parseJsonBody(jsonRequest('[1,2]', { 'content-type': 'Application/Problem+JSON' }))).toEqual([1, 2]);
    expect(await parseJsonBody(jsonRequest('\uFEFF"bom"'))).toBe('bom');
  });

  it('rejects malformed JSON with the parser position (400)', async () => {
    const error = await failure(parseJsonBody(jsonRequest('{"a": 1,}')));
    expect(error.status).toBe(400);
    expect(error.code).toBe('E_MALFORMED_JSON');
    expect(error.message).toMatch(/^Invalid JSON body: .*position 8/);
  });

  it('rejects an empty body (400)', async () => {
    const error = await failure(parseJsonBody(jsonRequest('')));
    expect(error.status).toBe(400);
    expect(error.code).toBe('E_EMPTY_BODY');
    expect(error.message).toContain('empty body');
    expect((await failure(parseJsonBody(jsonRequest('  \n')))).code).toBe('E_EMPTY_BODY');
  });

  it('rejects a non-JSON content type with 415 naming it', async () => {
    const error = await failure(parseJsonBody(jsonRequest('{}', { 'content-type': 'text/plain' })));
    expect(error.status).toBe(415);
    expect(error.message).toContain("'text/plain'");
    const missing = makeRequest({ body: chunks('{}') });
    expect((await failure(parseJsonBody(missing))).status).toBe(415);
    const lookalike = await failure(parseJsonBody(jsonRequest('{}', { 'content-type': 'application/jsonx' })));
    expect(lookalike.status).toBe(415);
    const latin1 = await failure(parseJsonBody(jsonRequest('{}', { 'content-type': 'application/json; charset=latin1' })));
    expect(latin1.status).toBe(415);
  });

  it('applies the body size limit (413)', async () => {
    const error = await failure(parseJsonBody(jsonRequest(`"${'a'.repeat(200)}"`, {}, { DATA_UPLOAD_MAX_MEMORY_SIZE: 100 })));
    expect(error.status).toBe(413);
  });

  it('drops __proto__, constructor and prototype keys at any depth and pollutes nothing', async () => {
    const text = JSON.stringify({
      keep: 1,
      nested: { constructor: { prototype: { polluted: 1 } }, ok: true },
      list: [{ prototype: 1, fine: 2 }],
    }).replace('"keep":1', '"__proto__":{"polluted":1},"keep":1');
    const result = (await parseJsonBody(jsonRequest(text))) as Record<string, unknown>;
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(result)).toEqual(['keep', 'nested', 'list']);
    expect(Object.hasOwn(result, '__proto__')).toBe(false);
    expect(result).toEqual({ keep: 1, nested: { ok: true }, list: [{ fine: 2 }] });

    // A naive deep merge of the result must stay harmless.
    const merge = (target: Record<string, unknown>, source: Record<string, unknown>): void => {
      for (const key of Object.keys(source)) {
        const value = source[key];
        if (value && typeof value === 'object') merge((target[key] ??= {}) as Record<string, unknown>, value as Record<string, unknown>);
        else target[key] = value;
      }
    };
    merge({}, result);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('drops forbidden keys spelled with unicode escapes', async () => {
    const result = await parseJsonBody(jsonRequest('{"\\u005f_proto__":{"polluted":1},"c\\u006fnstructor":{"x":1},"a":1}'));
    expect(result).toEqual({ a: 1 });
    expect(Object.getOwnPropertyNames(result)).toEqual(['a']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('content type parsing', () => {
  it('is case-insensitive and tolerates spaces and parameters', () => {
    const parsed = parseMediaType('  Multipart/Form-Data ;  Boundary="a b;c" ; charset=UTF-8');
    expect(parsed?.type).toBe('multipart/form-data');
    expect(parsed?.params.get('boundary')).toBe('a b;c');
    expect(parsed?.params.get('charset')).toBe('UTF-8');
  });

  it('refuses malformed or ambiguous headers', () => {
    for (const bad of ['constructor', '/json', 'text/', 'text/plain; =x', 'text/plain; a', 'a/b; x="open', 'a/b; x=1; x=2', 'a/b c', 'a b/c']) {
      expect(parseMediaType(bad), bad).toBeNull();
    }
  });
});

describe('parseFormBody: urlencoded', () => {
  function formRequest(text: string, contentType = 'application/x-www-form-urlencoded', settings?: Record<string, unknown>): HttpRequest {
    return makeRequest({
      headers: { 'content-type': contentType, 'content-length': String(Buffer.byteLength(text)) },
      body: chunks(text),
      ...(settings ? { settings } : {}),
    });
  }

  it('parses fields, repeated keys and escapes; __proto__ is a plain key', async () => {
    const form = await parseFormBody(formRequest('a=1&b=hello+world&a=2&c=%C3%A9&__proto__=x&constructor=y'));
    expect(form.fields.getAll('a')).toEqual(['1', '2']);
    expect(form.fields.get('b')).toBe('hello world');
    expect(form.fields.get('c')).toBe('é');
    expect(form.fields.get('__proto__')).toBe('x');
    expect(form.fields.get('constructor')).toBe('y');
    expect(form.files.size).toBe(0);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('accepts the type in any case, with spaces and a charset', async () => {
    const form = await parseFormBody(formRequest('a=1', ' Application/X-WWW-Form-Urlencoded ; charset=UTF-8'));
    expect(form.fields.get('a')).toBe('1');
  });

  it('rejects too many fields (400)', async () => {
    const error = await failure(parseFormBody(formRequest('a=1&b=2&c=3&d=4', undefined, { DATA_UPLOAD_MAX_NUMBER_FIELDS: 3 })));
    expect(error.status).toBe(400);
    expect(error.code).toBe('E_TOO_MANY_FIELDS');
    expect(error.message).toContain('too many fields (more than 3)');
    const ok = await parseFormBody(formRequest('a=1&b=2&c=3', undefined, { DATA_UPLOAD_MAX_NUMBER_FIELDS: 3 }));
    expect(ok.fields.size).toBe(3);
  });

  it('never picks a parser for a look-alike type (415)', async () => {
    for (const type of ['application/x-www-form-urlencodedX', 'constructor', '__proto__', 'text/plain', 'application/json', 'multipart/form-dataX; boundary=x']) {
      const error = await failure(parseFormBody(formRequest('a=1', type)));
      expect(error.status, type).toBe(415);
    }
  });

  it('gives an empty form for a request without a body', async () => {
    const get = await parseFormBody(makeRequest({ method: 'GET', body: chunks('ignored') }));
    expect(get.fields.size).toBe(0);
    const head = await parseFormBody(makeRequest({ method: 'HEAD' }));
    expect(head.files.size).toBe(0);
    const emptyPost = await parseFormBody(makeRequest({ headers: { 'content-length': '0' }, body: chunks() }));
    expect(emptyPost.fields.size).toBe(0);
  });

  it('is cached by request.form()', async () => {
    const request = formRequest('a=1');
    const first = await request.form();
    expect(await request.form()).toBe(first);
  });
});

describe('parseFormBody: multipart', () => {
  it('parses fields and streams a file to a temp file removed after request.finish()', async () => {
    const content = 'file body\r\nwith --lines-- and \0 bytes';
    const request = multipartRequest(
      multipartBody([
        { name: 'title', value: 'Hello é' },
        { name: 'tags', value: 'a' },
        { name: 'tags', value: 'b' },
        { name: 'doc', filename: 'report.txt', content, contentType: 'text/plain' },
      ]),
    );
    const { fields, files } = await request.form();
    expect(fields.get('title')).toBe('Hello é');
    expect(fields.getAll('tags')).toEqual(['a', 'b']);
    const [file] = files.get('doc')!;
    expect(file).toBeDefined();
    expect(file!.field).toBe('doc');
    expect(file!.filename).toBe('report.txt');
    expect(file!.contentType).toBe('text/plain');
    expect(file!.size).toBe(Buffer.byteLength(content));
    expect((await file!.read()).toString()).toBe(content);
    expect(file!.path.startsWith(tempRoot)).toBe(true);
    expect(file!.path).not.toContain('report.txt');
    expect(existsSync(file!.path)).toBe(true);
    expect(await request.files()).toBe(files);

    await request.finish();
    expect(existsSync(file!.path)).toBe(false);
    expect(await readdir(tempRoot)).toEqual([]);
  });

  it('streams a large file in many chunks intact', async () => {
    const content = Buffer.alloc(3 * 1024 * 1024 + 17);
    for (let i = 0; i < content.length; i++) content[i] = (i * 31) & 0xff;
    const request = multipartRequest(chunks(...split(multipartBody([{ name: 'big', filename: 'big.bin', content }]), 64 * 1024)));
    const { files } = await request.form();
    const file = files.get('big')![0]!;
    expect(file.size).toBe(content.length);
    const hash = createHash('sha256');
    for await (const chunk of file.stream()) hash.update(chunk as Buffer);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(content).digest('hex'));
    await request.finish();
    expect(await readdir(tempRoot)).toEqual([]);
  });

  it('keeps __proto__ and constructor as plain field names and sanitises filenames', async () => {
    const request = multipartRequest(
      multipartBody([
        { name: '__proto__', value: 'x' },
        { name: 'constructor', filename: '../../etc/passwd', content: 'p' },
        { name: 'skipped', filename: '', content: '' },
      ]),
    );
    const { fields, files } = await request.form();
    expect(fields.get('__proto__')).toBe('x');
    expect(files.get('constructor')![0]!.filename).toBe('passwd');
    expect(files.has('skipped')).toBe(false);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
    await request.finish();
  });

  it('moveTo() keeps the file out of the cleanup', async () => {
    const request = multipartRequest(multipartBody([{ name: 'f', filename: 'a.txt', content: 'keep me' }]));
    const file = (await request.files()).get('f')![0]!;
    const dest = join(tempRoot, 'kept', 'a.txt');
    await file.moveTo(dest);
    expect(file.path).toBe(dest);
    await expect(file.moveTo(dest)).rejects.toThrow(/EEXIST/);
    await request.finish();
    expect(await readFile(dest, 'utf8')).toBe('keep me');
  });

  it('rejects too many files (400) and removes the ones written', async () => {
    const body = multipartBody([1, 2, 3].map((i) => ({ name: `f${i}`, filename: `${i}.txt`, content: 'x'.repeat(100) })));
    const error = await failure(multipartRequest(body, { DATA_UPLOAD_MAX_NUMBER_FILES: 2 }).form());
    expect(error.status).toBe(400);
    expect(error.code).toBe('E_TOO_MANY_FILES');
    expect(error.message).toContain('too many files (more than 2)');
    expect(await readdir(tempRoot)).toEqual([]);
  });

  it('rejects too many fields (400)', async () => {
    const body = multipartBody([1, 2, 3].map((i) => ({ name: `a${i}`, value: 'v' })));
    const error = await failure(multipartRequest(body, { DATA_UPLOAD_MAX_NUMBER_FIELDS: 2 }).form());
    expect(error.status).toBe(400);
    expect(error.code).toBe('E_TOO_MANY_FIELDS');
  });

  it('rejects a file over FILE_UPLOAD_MAX_SIZE (413) and leaves no temp file', async () => {
    const body = multipartBody([{ name: 'f', filename: 'big.bin', content: Buffer.alloc(5000, 1) }]);
    const error = await failure(multipartRequest(body, { FILE_UPLOAD_MAX_SIZE: 1000 }).form());
    expect(error.status).toBe(413);
    expect(error.message).toContain('FILE_UPLOAD_MAX_SIZE');
    expect(await readdir(tempRoot)).toEqual([]);

    const exact = multipartRequest(multipartBody([{ name: 'f', filename: 'ok.bin', content: Buffer.alloc(1000, 1) }]), { FILE_UPLOAD_MAX_SIZE: 1000 });
    expect((await exact.files()).get('f')![0]!.size).toBe(1000);
    await exact.finish();
  });

  it('counts non-file field bytes towards DATA_UPLOAD_MAX_MEMORY_SIZE (413)', async () => {
    const body = multipartBody([
      { name: 'a', value: 'x'.repeat(60) },
      { name: 'b', value: 'x'.repeat(60) },
    ]);
    const error = await failure(multipartRequest(body, { DATA_UPLOAD_MAX_MEMORY_SIZE: 100 }).form());
    expect(error.status).toBe(413);
  });

  it('requires a boundary of at most 70 characters (400)', async () => {
    const long = 'b'.repeat(71);
    const error = await failure(multipartRequest(multipartBody([{ name: 'a', value: '1' }], long), undefined, long).form());
    expect(error.status).toBe(400);
    expect(error.code).toBe('E_MULTIPART_BOUNDARY');
    expect(error.message).toContain('at most 70');

    const max = 'b'.repeat(70);
    const ok = await multipartRequest(multipartBody([{ name: 'a', value: '1' }], max), undefined, max).form();
    expect(ok.fields.get('a')).toBe('1');

    const missing = makeRequest({ headers: { 'content-type': 'multipart/form-data' }, body: chunks('x') });
    expect((await failure(parseFormBody(missing))).code).toBe('E_MULTIPART_BOUNDARY');
  });

  it('rejects a truncated body (400) and a Content-Length mismatch (400)', async () => {
    const body = multipartBody([{ name: 'f', filename: 'a.txt', content: 'x'.repeat(3000) }]);
    const truncated = await failure(multipartRequest(chunks(body.subarray(0, 2000))).form());
    expect(truncated.status).toBe(400);
    expect(truncated.code).toBe('E_MALFORMED_MULTIPART');

    const request = makeRequest({
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(body.length + 5) },
      body: chunks(body),
    });
    expect((await failure(request.form())).code).toBe('E_CONTENT_LENGTH_MISMATCH');
    expect(await readdir(tempRoot)).toEqual([]);
  });

  it('settles cleanly when the client aborts mid-upload and leaves no temp file', async () => {
    const body = multipartBody([
      { name: 'a', value: '1' },
      { name: 'f', filename: 'a.bin', content: Buffer.alloc(200_000, 7) },
    ]);
    let duringUpload: string[] = [];
    async function* abortingBody(): AsyncGenerator<Uint8Array> {
      yield body.subarray(0, 50_000);
      yield body.subarray(50_000, 100_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
      duringUpload = await readdir(tempRoot);
      throw new Error('aborted');
    }
    const request = multipartRequest(abortingBody());
    const error = await failure(request.form());
    expect(error.status).toBe(400);
    expect(error.code).toBe('E_REQUEST_ABORTED');
    expect((error.cause as Error).message).toBe('aborted');
    // The upload folder existed while the file was streaming, and is gone now.
    expect(duringUpload).toHaveLength(1);
    expect(await readdir(tempRoot)).toEqual([]);
    await request.finish();
  });
});

describe('sanitizeFilename', () => {
  it('keeps a safe basename only', () => {
    expect(sanitizeFilename('C:\\Users\\me\\photo.jpg')).toBe('photo.jpg');
    expect(sanitizeFilename('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFilename('..')).toBe('');
    expect(sanitizeFilename('a\u0000b\nc.txt')).toBe('abc.txt');
    const long = sanitizeFilename(`${'n'.repeat(300)}.tar.gz`);
    expect(long.length).toBe(255);
    expect(long.endsWith('.gz')).toBe(true);
  });
});
