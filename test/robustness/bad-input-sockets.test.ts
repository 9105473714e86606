import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserSession } from './support/browser-session.js';
import { createTestProject, SUPERUSER, type TestProject } from './support/project.js';
import { killAllServers, rawRequest, ServerProcess } from './support/server-process.js';
import { recordBadInput } from './support/tally.js';

/**
 * security.md's "bad input" section, line by line, against a real server
 * process over real sockets. Each case asserts the exact status, then that
 * the process is still up, that the next request succeeds, that no row was
 * half-written, and that no upload temp file was left behind.
 *
 * The server runs with the default body limits (2.5 MiB, 1,000 fields, 100
 * files, 16 KiB headers); only the header timeout is shortened (2 s), so the
 * slow-header case does not wait a minute. It is told to trust
 * X-Forwarded-Proto from 127.0.0.1, so the HTTPS-only Referer checks of CSRF
 * can be exercised over plain loopback.
 */
let project: TestProject;
let server: ServerProcess;
let rows = 0;

beforeAll(async () => {
  project = await createTestProject({
    database: 'sqlite',
    settings: { SERVER: { headersTimeout: 2_000 }, SECURE_PROXY_SSL_HEADER: ['x-forwarded-proto', 'https'], TRUSTED_PROXIES: ['127.0.0.1'] },
  });
  server = await ServerProcess.start(project);
  rows = await countRows();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  killAllServers();
  await project?.cleanup();
});

async function countRows(): Promise<number> {
  const response = await fetch(`${server.url}/items/count/`, { signal: AbortSignal.timeout(10_000) });
  if (response.status !== 200) throw new Error(`GET /items/count/ gave ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { count: number }).count;
}

/**
 * After a bad input: the process is up, the next request succeeds, the row
 * count moved by exactly `written`, and no upload temp file is left.
 */
async function expectHealthy(label: string, written = 0): Promise<void> {
  let ok = false;
  try {
    expect(server.alive, `${label}: the server process died\n${server.stderr}`).toBe(true);
    const now = await countRows();
    expect(now - rows, `${label}: rows written`).toBe(written);
    rows = now;
    expect(readdirSync(join(project.dir, 'uploads-tmp')), `${label}: upload temp files left`).toEqual([]);
    expect(server.stderr, `${label}: a server error was logged`).not.toMatch(/\b500\b|Internal Server Error|uncaught|unhandled/i);
    ok = true;
  } finally {
    recordBadInput(`socket: ${label}`, ok);
  }
}

async function post(path: string, body: string | Uint8Array, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000) });
  await response.arrayBuffer();
  return response.status;
}

const MiB = 1024 * 1024;

function multipart(boundary: string, parts: Array<{ name: string; filename?: string; content: string | Uint8Array }>): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    const filename = part.filename === undefined ? '' : `; filename="${part.filename}"`;
    pieces.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\n${part.filename ? 'Content-Type: application/octet-stream\r\n' : ''}\r\n`), Buffer.from(part.content), Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(pieces);
}

describe('bad input over a real socket: body size and shape', () => {
  it('a body over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MiB) with Content-Length -> 413', async () => {
    const body = JSON.stringify({ title: 'x'.repeat(Math.ceil(2.5 * MiB)) });
    expect(await post('/api/items/', body, { 'content-type': 'application/json' })).toBe(413);
    await expectHealthy('body over the limit (Content-Length)');
  });

  it('a chunked body over the limit -> 413 (refused once it crosses the limit)', async () => {
    const chunk = Buffer.alloc(256 * 1024, 'x');
    const head = 'POST /api/items/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    const pieces: Array<string | Buffer> = [head];
    for (let i = 0; i < 12; i++) pieces.push(`${chunk.length.toString(16)}\r\n`, chunk, '\r\n');
    pieces.push('0\r\n\r\n');
    const response = await rawRequest(server.port, pieces, { waitMs: 10_000 });
    expect(response.status).toBe(413);
    await expectHealthy('chunked body over the limit');
  });

  it('a compressed body (a gzip bomb: 30 KB inflating past the limit) -> 415, never inflated', async () => {
    const bomb = gzipSync(Buffer.alloc(30 * MiB, ' '));
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(await post('/api/items/', bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' })).toBe(415);
    await expectHealthy('gzip bomb');
  });

  it('too many fields (1,001) -> 400', async () => {
    const session = new BrowserSession(server.url);
    const token = await session.csrfToken();
    const body = Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join('&');
    const status = (await session.request('/items/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrftoken': token }, body })).status;
    expect(status).toBe(400);
    await expectHealthy('too many fields');
  });

  it('too many files (101) -> 400, and no file or row is kept', async () => {
    const boundary = 'robust-boundary-files';
    const body = multipart(boundary, Array.from({ length: 101 }, (_, i) => ({ name: `f${i}`, filename: `f${i}.txt`, content: 'data' })));
    expect(await post('/api/upload/', body, { 'content-type': `multipart/form-data; boundary=${boundary}` })).toBe(400);
    await expectHealthy('too many files');
  });

  it('too many multipart parts (fields and files past both limits) -> 400', async () => {
    const boundary = 'robust-boundary-parts';
    const body = multipart(boundary, Array.from({ length: 1200 }, (_, i) => ({ name: `p${i}`, content: 'v' })));
    expect(await post('/api/upload/', body, { 'content-type': `multipart/form-data; boundary=${boundary}` })).toBe(400);
    await expectHealthy('too many parts');
  });

  it('a Content-Length larger than the body, then the client stops sending -> 400, nothing written', async () => {
    const response = await rawRequest(server.port, ['POST /api/items/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"title":"short"}'], { endAfterWrite: true, waitMs: 5_000 });
    // The client half-closed: the server sees the body end early. If it can still answer, the answer is a 400.
    expect(response.status === null || response.status === 400, response.text).toBe(true);
    await expectHealthy('Content-Length larger than the body');
  });

  it('a Content-Length smaller than the body -> the truncated JSON is a 400; the leftover bytes are never a request that succeeds', async () => {
    const response = await rawRequest(server.port, ['POST /api/items/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{"title":"long"}'], { waitMs: 3_000 });
    expect(response.status).toBe(400);
    // The rest ('"title":"long"}') is read as a next request: a 400 too, or the connection is already closed.
    for (const status of response.text.match(/^HTTP\/1\.1 (\d{3})/gm) ?? []) expect(status).toBe('HTTP/1.1 400');
    await expectHealthy('Content-Length smaller than the body');
  });

  it('a malformed Content-Length (negative, exponent, repeated with two values) -> 400', async () => {
    for (const value of ['-1', '1e3', '5, 6', 'abc']) {
      const response = await rawRequest(server.port, [`POST /api/items/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${value}\r\n\r\n{}`], { waitMs: 3_000 });
      expect(response.status, `Content-Length: ${value}`).toBe(400);
    }
    await expectHealthy('malformed Content-Length');
  });

  it('an empty body as JSON -> 400', async () => {
    expect(await post('/api/items/', '', { 'content-type': 'application/json' })).toBe(400);
    expect(await post('/api/items/', '   \n', { 'content-type': 'application/json' })).toBe(400);
    await expectHealthy('empty JSON body');
  });
});

describe('bad input over a real socket: prototype keys', () => {
  it('JSON __proto__ / constructor / prototype keys, also nested, are dropped: the row is written clean and nothing is polluted', async () => {
    const body = '{"__proto__":{"title":"polluted"},"constructor":{"prototype":{"title":"polluted"}},"nested":{"__proto__":{"title":"polluted"}}}';
    expect(await post('/api/items/', body, { 'content-type': 'application/json' })).toBe(201);
    await expectHealthy('JSON prototype keys', 1);
    // Had Object.prototype.title been set, this body without a title would be saved as 'polluted'.
    const next = await fetch(`${server.url}/api/items/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(next.status).toBe(201);
    await expectHealthy('JSON prototype keys (next request)', 1);
    const titles = await fetch(`${server.url}/items/count/?__proto__[title]=polluted&constructor[prototype][x]=1`);
    expect(titles.status).toBe(200);
    await titles.arrayBuffer();
  });

  it('form keys __proto__, constructor[prototype] and a[__proto__] are plain data', async () => {
    const session = new BrowserSession(server.url);
    const token = await session.csrfToken();
    const body = `csrfmiddlewaretoken=${token}&a[__proto__]=x&__proto__[title]=polluted&constructor[prototype][title]=polluted&__proto__=1&title=clean`;
    const response = await session.request('/items/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(response.status).toBe(201);
    await expectHealthy('form prototype keys', 1);
  });

  it('query string keys __proto__ and constructor are plain data', async () => {
    const response = await fetch(`${server.url}/items/count/?__proto__=1&__proto__[admin]=1&constructor[prototype][admin]=1&a[__proto__]=1`);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    await expectHealthy('query prototype keys');
  });
});

describe('bad input over a real socket: Content-Type', () => {
  it('odd Content-Types never pick another parser: unknown -> 415, odd casing of a known one -> accepted', async () => {
    for (const type of ['text/plain', 'constructor', '__proto__', 'application/json, text/html', 'application/jsonx', 'application/json; charset=latin1', 'application/json;;charset', 'application/x-www-form-urlencoded']) {
      expect(await post('/api/items/', '{"title":"typed"}', { 'content-type': type }), type).toBe(415);
    }
    await expectHealthy('odd Content-Types');
    expect(await post('/api/items/', '{"title":"typed"}', { 'content-type': 'APPLICATION/JSON ; Charset="UTF-8"' })).toBe(201);
    await expectHealthy('odd casing of application/json', 1);
  });
});

describe('bad input over a real socket: multipart', () => {
  it('a part named __proto__ is plain data', async () => {
    const boundary = 'robust-boundary-proto';
    const body = multipart(boundary, [
      { name: '__proto__', content: 'polluted' },
      { name: 'constructor', filename: '__proto__', content: 'file' },
    ]);
    expect(await post('/api/upload/', body, { 'content-type': `multipart/form-data; boundary=${boundary}` })).toBe(201);
    await expectHealthy('multipart part named __proto__', 1);
  });

  it('a boundary over 70 characters -> 400', async () => {
    const boundary = 'b'.repeat(71);
    const body = multipart(boundary, [{ name: 'f', filename: 'a.txt', content: 'x' }]);
    expect(await post('/api/upload/', body, { 'content-type': `multipart/form-data; boundary=${boundary}` })).toBe(400);
    await expectHealthy('boundary over 70 characters');
  });

  it('a client aborting mid-upload: temp files removed, the handler settles, nothing written', async () => {
    const boundary = 'robust-boundary-abort';
    const head = `POST /api/upload/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${10 * MiB}\r\n\r\n`;
    const firstFile = `--${boundary}\r\nContent-Disposition: form-data; name="a"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n${'a'.repeat(1000)}\r\n`;
    const secondFileStart = `--${boundary}\r\nContent-Disposition: form-data; name="b"; filename="b.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    await rawRequest(server.port, [head, firstFile, secondFileStart, Buffer.alloc(512 * 1024, 'b')], { destroyAfterWrite: true, delayBetweenMs: 50 });
    // The server learns of the abort asynchronously; give it a moment to clean up.
    const deadline = Date.now() + 5_000;
    while (readdirSync(join(project.dir, 'uploads-tmp')).length > 0 && Date.now() < deadline) await new Promise((wait) => setTimeout(wait, 50));
    await expectHealthy('client aborting mid-upload');
  });
});

describe('bad input over a real socket: headers', () => {
  it('oversized headers (over 16 KiB) -> 431 and the connection is closed', async () => {
    const response = await rawRequest(server.port, [`GET /items/count/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`]);
    expect(response.status).toBe(431);
    expect(response.closed).toBe(true);
    await expectHealthy('oversized headers');
  });

  it('slow headers (one header line every 300 ms, never finished) -> 408 and the connection is closed', async () => {
    const lines = ['GET /items/count/ HTTP/1.1\r\n', 'Host: 127.0.0.1\r\n', ...Array.from({ length: 30 }, (_, i) => `X-Slow-${i}: ${i}\r\n`)];
    const started = Date.now();
    const response = await rawRequest(server.port, lines, { delayBetweenMs: 300, waitMs: 12_000 });
    expect(response.status).toBe(408);
    expect(response.closed).toBe(true);
    // headersTimeout is 2 s here; the server must not wait for the client to give up.
    expect(Date.now() - started).toBeLessThan(9_000);
    await expectHealthy('slow headers');
  });

  it('a bad or foreign Host -> 400', async () => {
    for (const host of ['evil.example', 'a b', '127.0.0.1@evil.example', '[::1', '127.0.0.1:80:80', '']) {
      const response = await rawRequest(server.port, [`GET /items/count/ HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`]);
      expect(response.status, `Host: ${host}`).toBe(400);
    }
    await expectHealthy('bad Host');
  });

  it('a malformed request line or header -> 400', async () => {
    for (const line of ['GET /items/count/ HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n', 'G\u0000T / HTTP/1.1\r\n\r\n', 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n\r\n', 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX: a\rb\r\n\r\n']) {
      const response = await rawRequest(server.port, [line]);
      expect(response.status, JSON.stringify(line)).toBe(400);
    }
    await expectHealthy('malformed request line');
  });
});

describe('bad input over a real socket: CSRF failures are 403 each', () => {
  async function csrfCase(label: string, build: (session: BrowserSession, token: string) => Promise<number>): Promise<void> {
    const session = new BrowserSession(server.url);
    const token = await session.csrfToken();
    expect(await build(session, token), label).toBe(403);
    await expectHealthy(`CSRF: ${label}`);
  }
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const submit = (session: BrowserSession, body: string, headers: Record<string, string> = {}, method = 'POST') =>
    session.request('/items/', { method, headers: { ...form, ...headers }, body }).then((response) => response.status);

  it('no cookie', () =>
    csrfCase('no cookie', async (session, token) => {
      session.cookies.delete('csrftoken');
      return submit(session, `csrfmiddlewaretoken=${token}&title=x`);
    }));
  it('missing token', () => csrfCase('missing token', (session) => submit(session, 'title=x')));
  it('token of the wrong length', () => csrfCase('wrong length', (session, token) => submit(session, `csrfmiddlewaretoken=${token.slice(0, 40)}&title=x`)));
  it('token with invalid characters', () => csrfCase('invalid characters', (session, token) => submit(session, `csrfmiddlewaretoken=${encodeURIComponent(`${token.slice(0, 63)}!`)}&title=x`)));
  it('wrong token value', () => csrfCase('wrong value', (session) => submit(session, `csrfmiddlewaretoken=${'a'.repeat(64)}&title=x`)));
  it('bad X-CSRFToken header', () => csrfCase('bad header token', (session) => submit(session, 'title=x', { 'x-csrftoken': 'b'.repeat(64) })));
  it('PUT without a token', () => csrfCase('PUT without token', (session) => submit(session, 'title=x', {}, 'PUT')));
  it('DELETE without a token', () => csrfCase('DELETE without token', (session) => submit(session, '', {}, 'DELETE')));
  it('a token in the body of a PUT is not read (header only)', () => csrfCase('PUT with body token', (session, token) => submit(session, `csrfmiddlewaretoken=${token}&title=x`, {}, 'PUT')));
  it('Origin: null', () => csrfCase('Origin null', (session, token) => submit(session, `csrfmiddlewaretoken=${token}&title=x`, { origin: 'null' })));
  it('a foreign Origin', () => csrfCase('foreign Origin', (session, token) => submit(session, `csrfmiddlewaretoken=${token}&title=x`, { origin: 'https://evil.example' })));
  it('HTTPS without Referer', () => csrfCase('HTTPS no Referer', (session, token) => submit(session, `csrfmiddlewaretoken=${token}&title=x`, { 'x-forwarded-proto': 'https' })));
  it('HTTPS with a malformed Referer', () => csrfCase('HTTPS malformed Referer', (session, token) => submit(session, `csrfmiddlewaretoken=${token}&title=x`, { 'x-forwarded-proto': 'https', referer: 'https://[bad' })));
  it('HTTPS with an insecure Referer', () => csrfCase('HTTPS insecure Referer', (session, token) => submit(session, `csrfmiddlewaretoken=${token}&title=x`, { 'x-forwarded-proto': 'https', referer: 'http://127.0.0.1/' })));
  it('HTTPS with a foreign Referer', () => csrfCase('HTTPS foreign Referer', (session, token) => submit(session, `csrfmiddlewaretoken=${token}&title=x`, { 'x-forwarded-proto': 'https', referer: 'https://evil.example/' })));

  it('and the same session with a good token is accepted (the cases above failed for their reason only)', async () => {
    const session = new BrowserSession(server.url);
    const token = await session.csrfToken();
    expect(await submit(session, `csrfmiddlewaretoken=${token}&title=ok`)).toBe(201);
    await expectHealthy('CSRF: good token', 1);
  });
});

describe('bad input over a real socket: open redirects', () => {
  for (const next of ['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)', '\t//evil.example', 'https:evil.example', '/\t/evil.example', 'http://127.0.0.1:1@evil.example/']) {
    it(`login with next=${JSON.stringify(next)} is sent to LOGIN_REDIRECT_URL, not there`, async () => {
      const session = new BrowserSession(server.url);
      const response = await session.login(SUPERUSER.username, SUPERUSER.password, next);
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/items/count/');
      await expectHealthy(`open redirect ${next}`);
    });
  }

  it('a safe next is followed', async () => {
    const session = new BrowserSession(server.url);
    const response = await session.login(SUPERUSER.username, SUPERUSER.password, '/whoami/');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/whoami/');
    const me = await session.request('/whoami/');
    expect(JSON.parse(me.text)).toEqual({ username: SUPERUSER.username });
  });
});
