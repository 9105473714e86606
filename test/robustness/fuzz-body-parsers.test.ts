import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createApplication, HttpRequest, json, path, type Application } from '@atrium/core';
import { fields, form } from '@atrium/forms';
import { assertPrototypeClean, checkProperty, nastyString, withinTime } from './support/fuzz.js';

/**
 * Every body parser (raw, JSON, urlencoded, multipart, and form binding on
 * top of them) on any bytes under any Content-Type: the answer is a success
 * or a 4xx (400 malformed, 413 too large, 415 unsupported), never a 500, a
 * throw or a hang; upload temp files never outlive the request; nothing
 * reaches Object.prototype. Limits are small so the fuzzer crosses them.
 */
const uploadRoot = mkdtempSync(join(tmpdir(), 'atrium-fuzz-uploads-'));
afterAll(() => rmSync(uploadRoot, { recursive: true, force: true }));

const LIMITS = { DATA_UPLOAD_MAX_MEMORY_SIZE: 4096, DATA_UPLOAD_MAX_NUMBER_FIELDS: 20, DATA_UPLOAD_MAX_NUMBER_FILES: 3, FILE_UPLOAD_MAX_SIZE: 2048 };

const Profile = form({
  name: fields.char({ maxLength: 50 }),
  age: fields.integer({ required: false }),
  email: fields.email({ required: false }),
  tags: fields.multipleChoice(['a', 'b', 'c'], { required: false }),
  subscribe: fields.boolean(),
  meta: fields.json({ required: false }),
  attachment: fields.file({ required: false }),
});

const app: Application = await createApplication({
  settings: { SECRET_KEY: 'robustness-body-secret-key-0123456789-abcdef', ALLOWED_HOSTS: ['testserver'], MIDDLEWARE: ['security', 'common'], FILE_UPLOAD_TEMP_DIR: uploadRoot, ...LIMITS },
  templates: null,
  routes: [
    path('raw/', async (request) => json({ bytes: (await request.body()).length })),
    path('json/', async (request) => json({ type: typeof (await request.json()) })),
    path('form/', async (request) => {
      const { fields: data, files } = await request.form();
      return json({ fields: data.size, files: files.size });
    }),
    path('bind/', async (request) => {
      const profile = await Profile.bind(request);
      return json({ valid: await profile.isValid() });
    }),
  ],
});

const ALLOWED = new Set([200, 400, 413, 415]);

/** A known media type with odd casing, spacing and parameters, or any string at all. */
const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc
    .tuple(
      fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain', 'application/problem+json', 'application/octet-stream', 'constructor', '__proto__', 'application/json/x', 'application/x-www-form-urlencodedX', 'multipart/mixed'),
      fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
      fc.array(fc.tuple(fc.constantFrom('charset', 'boundary', 'Charset', 'BOUNDARY', 'q', '__proto__'), fc.oneof(fc.constantFrom('utf-8', 'UTF-8', 'latin1', 'utf-16', '"x y"', '""', 'xyz', '"a\\"b"', 'a'.repeat(80)), nastyString)), { maxLength: 3 }),
      fc.constantFrom('', ' ', '\t', ';', '; ', ' ;'),
    )
    .map(([type, upper, params, trailer]) => {
      const cased = [...type].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c)).join('');
      return `${cased}${params.map(([k, v]) => `; ${k}=${v}`).join('')}${trailer}`;
    }),
  fc.string({ unit: 'binary', maxLength: 80 }),
);

const bodyBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 600 }),
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? '')),
  fc.string({ unit: 'binary', maxLength: 300 }).map((s) => Buffer.from(s)),
  fc.array(fc.tuple(nastyString, nastyString), { maxLength: 30 }).map((pairs) => Buffer.from(pairs.map(([k, v]) => `${percentEncode(k)}=${v}`).join('&'))),
  fc.constantFrom(
    Buffer.from('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"a":{"__proto__":{"x":1}}}'),
    Buffer.from('a[__proto__][polluted]=1&__proto__=1&constructor[prototype][polluted]=1'),
    Buffer.from(''),
    Buffer.from('\uFEFF'),
    Buffer.from('x'.repeat(5000)),
    Buffer.from('&'.repeat(100)),
  ),
);

/** Every UTF-8 byte as %XX (encodeURIComponent throws on a lone surrogate). */
function percentEncode(text: string): string {
  return [...Buffer.from(text)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

/** Split bytes into chunks at the given cut points, so parsers meet every chunk boundary. */
function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    if (point > start) out.push(bytes.subarray(start, point));
    start = Math.max(start, point);
  }
  return out;
}

/** A body stream yielding `chunks`, then ending, or failing like an aborted node:http request. */
async function* bodyStream(chunks: Uint8Array[], abortAfter: number | null): AsyncGenerator<Uint8Array> {
  for (const [i, chunk] of chunks.entries()) {
    if (abortAfter !== null && i >= abortAfter) throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    await Promise.resolve();
    yield chunk;
  }
  if (abortAfter !== null) throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
}

interface Shot {
  route: string;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  lengthMode: 'exact' | 'absent' | 'wrong' | 'garbage';
  wrongLength: number;
  bytes: Uint8Array;
  cuts: number[];
  abortAfter: number | null;
}

async function fire(shot: Shot): Promise<number> {
  const headers: Record<string, string> = { host: 'testserver' };
  if (shot.contentType !== undefined) headers['content-type'] = shot.contentType;
  if (shot.contentEncoding !== undefined) headers['content-encoding'] = shot.contentEncoding;
  if (shot.lengthMode === 'exact') headers['content-length'] = String(shot.bytes.length);
  else if (shot.lengthMode === 'wrong') headers['content-length'] = String(shot.wrongLength);
  else if (shot.lengthMode === 'garbage') headers['content-length'] = `${shot.wrongLength}, ${shot.wrongLength}`;
  else headers['transfer-encoding'] = 'chunked';
  const request = new HttpRequest({ method: 'POST', url: shot.route, headers, body: bodyStream(chunked(shot.bytes, shot.cuts), shot.abortAfter), remoteAddress: '127.0.0.1', encrypted: false });
  const response = await withinTime(app.handle(request), 3_000, `POST ${shot.route} (${JSON.stringify(shot.contentType)})`);
  return response.status;
}

function assertSettled(status: number, shot: Shot): void {
  if (!ALLOWED.has(status)) throw new Error(`status ${status} for ${shot.route} with Content-Type ${JSON.stringify(shot.contentType)}`);
  const left = readdirSync(uploadRoot);
  if (left.length > 0) throw new Error(`upload temp folders left behind: ${left.join(', ')}`);
  assertPrototypeClean();
}

const shotOf = (body: fc.Arbitrary<Uint8Array>, type: fc.Arbitrary<string | undefined>): fc.Arbitrary<Shot> =>
  fc.record({
    route: fc.constantFrom('/raw/', '/json/', '/form/', '/bind/'),
    contentType: type,
    contentEncoding: fc.option(fc.constantFrom('gzip', 'GZIP', 'identity', ' Identity ', '', 'br, gzip', 'deflate'), { nil: undefined }),
    lengthMode: fc.constantFrom('exact', 'exact', 'absent', 'wrong', 'garbage'),
    wrongLength: fc.nat({ max: 10_000 }),
    bytes: body,
    cuts: fc.array(fc.nat(), { maxLength: 5 }),
    abortAfter: fc.option(fc.nat({ max: 4 }), { nil: null, freq: 8 }),
  });

/** A multipart body: a boundary of 1-80 characters, parts with any names (incl. __proto__), files or fields, sometimes cut short. */
const multipartShot: fc.Arbitrary<Shot> = fc
  .record({
    boundary: fc.stringMatching(/^[0-9A-Za-z'()+_,\-./:=?]{1,80}$/),
    parts: fc.array(
      fc.record({
        name: nastyString,
        filename: fc.option(fc.oneof(nastyString, fc.constantFrom('../../etc/passwd', 'a.png', '', 'C:\\x\\y.txt')), { nil: undefined }),
        content: fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.constant(new Uint8Array(3000))),
        headerJunk: fc.option(fc.string({ unit: 'binary', maxLength: 40 }), { nil: undefined, freq: 6 }),
      }),
      { maxLength: 30 },
    ),
    closing: fc.constantFrom('--\r\n', '--', '', '\r\n'),
    truncateAt: fc.option(fc.nat(), { nil: undefined, freq: 5 }),
  })
  .chain(({ boundary, parts, closing, truncateAt }) => {
    const pieces: Buffer[] = [];
    for (const part of parts) {
      const disposition = `form-data; name="${part.name.replace(/"/g, '%22')}"${part.filename === undefined ? '' : `; filename="${part.filename.replace(/"/g, '%22')}"`}`;
      pieces.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.headerJunk ?? ''}\r\n`), Buffer.from(part.content), Buffer.from('\r\n'));
    }
    pieces.push(Buffer.from(`--${boundary}${closing}`));
    let bytes: Uint8Array = Buffer.concat(pieces);
    if (truncateAt !== undefined) bytes = bytes.subarray(0, truncateAt % (bytes.length + 1));
    return shotOf(fc.constant(bytes), fc.constantFrom(`multipart/form-data; boundary=${boundary}`, `Multipart/Form-Data; BOUNDARY="${boundary}"`, `multipart/form-data;boundary=${boundary}; charset=utf-8`)).map((shot) => ({
      ...shot,
      route: shot.route === '/json/' || shot.route === '/raw/' ? '/form/' : shot.route,
      contentEncoding: undefined,
    }));
  });

describe('body parser fuzzing: any bytes under any Content-Type give success or a 4xx', () => {
  it('raw, JSON, urlencoded and form binding on any body and header combination', async () => {
    await checkProperty(
      'body parsers: any bytes, any Content-Type',
      fc.asyncProperty(shotOf(bodyBytes, contentType), async (shot) => assertSettled(await fire(shot), shot)),
      500,
    );
  });

  it('multipart with any parts, boundaries up to 80 characters, truncation and aborts', async () => {
    await checkProperty(
      'body parsers: multipart',
      fc.asyncProperty(multipartShot, async (shot) => assertSettled(await fire(shot), shot)),
      400,
    );
  });

  it('well-formed bodies within the limits are accepted, whatever the casing of the media type', async () => {
    await checkProperty(
      'body parsers: valid bodies accepted',
      fc.asyncProperty(
        fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.string({ maxLength: 20 }), { maxKeys: 10 }),
        fc.constantFrom('application/json', 'APPLICATION/JSON; charset=UTF-8', 'application/json ; charset="utf-8"', 'application/merge-patch+json'),
        fc.array(fc.nat(), { maxLength: 4 }),
        async (data, type, cuts) => {
          const bytes = Buffer.from(JSON.stringify(data));
          const status = await fire({ route: '/json/', contentType: type, contentEncoding: undefined, lengthMode: 'exact', wrongLength: 0, bytes, cuts, abortAfter: null });
          if (status !== 200) throw new Error(`a valid JSON body under ${type} gave ${status}`);
        },
      ),
      200,
    );
  });

  it('a body streamed in many small chunks over the limit is refused with 413 without reading it all', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 100_000; i++) {
        pulled++;
        yield new Uint8Array(512);
      }
    }
    const request = new HttpRequest({ method: 'POST', url: '/raw/', headers: { host: 'testserver', 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' }, body: endless(), remoteAddress: '127.0.0.1', encrypted: false });
    const response = await withinTime(app.handle(request), 3_000, 'endless body');
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(20);
  });
});
