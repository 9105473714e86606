import { gunzipSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HttpRequest } from '../src/http/request.js';
import { HttpResponse, html, json, stream, text } from '../src/http/response.js';
import { validateSettings } from '../src/settings/validate-settings.js';
import { Http404, SuspiciousOperation } from '../src/errors.js';
import type { AppContext } from '../src/app/context.js';
import type { Handler } from '../src/middleware/types.js';
import { compose } from '../src/middleware/compose.js';
import { commonMiddleware, hostDomain, sameSiteLocation } from '../src/middleware/common.js';
import { securityMiddleware } from '../src/middleware/security.js';
import { gzipMiddleware } from '../src/middleware/gzip.js';
import { createRequestLoggingMiddleware, formatLogDate } from '../src/middleware/request-logging.js';
import { builtinMiddleware } from '../src/middleware/builtin-middleware.js';

const SECRET = 'k'.repeat(48);

/** An AppContext with validated settings and a fake router answering `routes` (or a predicate). */
function makeApp(settings: Record<string, unknown> = {}, routes: readonly string[] | ((path: string) => boolean) = []): AppContext {
  const matches = typeof routes === 'function' ? routes : (p: string) => routes.includes(p);
  return {
    settings: validateSettings({ SECRET_KEY: SECRET, ALLOWED_HOSTS: ['testserver'], ...settings }, { env: {} }),
    router: {
      resolve: (p: string) => (matches(p) ? { pattern: p.slice(1), name: null, params: {}, handlers: {}, allowed: ['GET'] } : null),
      patterns: () => ['about/', 'blog/<int:id>/'],
    },
    templates: null,
  } as unknown as AppContext;
}

interface RequestSpec {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  secure?: boolean;
  remoteAddress?: string;
}

function makeRequest(app: AppContext, spec: RequestSpec = {}): HttpRequest {
  const request = new HttpRequest({
    method: spec.method ?? 'GET',
    url: spec.url ?? '/',
    headers: { host: 'testserver', ...spec.headers },
    body: null,
    remoteAddress: spec.remoteAddress ?? '127.0.0.1',
    encrypted: spec.secure ?? false,
  });
  request.app = app;
  return request;
}

/** A `next` that records whether it ran and returns `response`. */
function fakeNext(response: HttpResponse | (() => HttpResponse) = text('ok')): Handler & { calls: number } {
  const next = Object.assign(
    async () => {
      next.calls++;
      return typeof response === 'function' ? response() : response;
    },
    { calls: 0 },
  );
  return next;
}

const notFound = () => html('<h1>Not Found</h1>', { status: 404 });

describe('common middleware: Host validation', () => {
  async function hostResult(host: string | undefined, allowed: string[]): Promise<'ok' | SuspiciousOperation> {
    const app = makeApp({ ALLOWED_HOSTS: allowed });
    const headers: Record<string, string> = host === undefined ? {} : { host };
    const request = new HttpRequest({ method: 'GET', url: '/', headers, body: null, remoteAddress: '127.0.0.1' });
    request.app = app;
    const next = fakeNext();
    try {
      await commonMiddleware(app)(request, next);
      expect(next.calls).toBe(1);
      return 'ok';
    } catch (error) {
      expect(next.calls).toBe(0);
      expect(error).toBeInstanceOf(SuspiciousOperation);
      return error as SuspiciousOperation;
    }
  }

  it('allows listed names case-insensitively, with a port, and with a trailing dot', async () => {
    expect(await hostResult('testserver', ['testserver'])).toBe('ok');
    expect(await hostResult('TestServer', ['testserver'])).toBe('ok');
    expect(await hostResult('testserver', ['TESTSERVER'])).toBe('ok');
    expect(await hostResult('testserver:8000', ['testserver'])).toBe('ok');
    expect(await hostResult('testserver.', ['testserver'])).toBe('ok');
  });

  it('refuses an unlisted host with E_DISALLOWED_HOST, naming it and ALLOWED_HOSTS', async () => {
    const error = await hostResult('evil.example:8000', ['testserver']);
    expect(error).not.toBe('ok');
    const e = error as SuspiciousOperation;
    expect(e.code).toBe('E_DISALLOWED_HOST');
    expect(e.status).toBe(400);
    expect(e.message).toContain('evil.example');
    expect(e.message).toContain('ALLOWED_HOSTS');
  });

  it("matches '.example.com' against the domain and its subdomains only", async () => {
    const allowed = ['.example.com'];
    expect(await hostResult('example.com', allowed)).toBe('ok');
    expect(await hostResult('www.example.com', allowed)).toBe('ok');
    expect(await hostResult('a.b.example.com:443', allowed)).toBe('ok');
    expect(await hostResult('badexample.com', allowed)).not.toBe('ok');
    expect(await hostResult('example.com.evil.org', allowed)).not.toBe('ok');
  });

  it("allows any well-formed host with '*', but never a malformed one", async () => {
    expect(await hostResult('anything.test', ['*'])).toBe('ok');
    expect(await hostResult('10.0.0.1:8080', ['*'])).toBe('ok');
    expect(await hostResult('bad host', ['*'])).not.toBe('ok');
  });

  it('understands bracketed IPv6 literals', async () => {
    expect(await hostResult('[::1]', ['[::1]'])).toBe('ok');
    expect(await hostResult('[::1]:8000', ['[::1]'])).toBe('ok');
    expect(await hostResult('[2001:db8::1]', ['[::1]'])).not.toBe('ok');
    expect(hostDomain('[::1]:8000')).toBe('[::1]');
    expect(hostDomain('[::1')).toBeNull();
  });

  it('refuses malformed and missing Host headers', async () => {
    for (const host of ['bad host', 'testserver/evil', 'user@testserver', 'testserver:port', 'a'.repeat(400), '']) {
      const error = await hostResult(host, ['testserver', '*']);
      expect(error, host).not.toBe('ok');
      expect((error as SuspiciousOperation).code).toBe('E_DISALLOWED_HOST');
    }
    const missing = await hostResult(undefined, ['*']);
    expect((missing as SuspiciousOperation).message).toMatch(/no Host header/);
  });

  it('uses localhost names by default under DEBUG', async () => {
    const app = makeApp({ DEBUG: true, ALLOWED_HOSTS: [] });
    const next = fakeNext();
    await commonMiddleware(app)(makeRequest(app, { headers: { host: 'localhost:8000' } }), next);
    expect(next.calls).toBe(1);
    await expect(commonMiddleware(app)(makeRequest(app, { headers: { host: 'example.com' } }), next)).rejects.toThrow(/ALLOWED_HOSTS/);
  });
});

describe('common middleware: APPEND_SLASH', () => {
  it('redirects a GET to the slash-appended route with 301, keeping the query string', async () => {
    const app = makeApp({}, ['/about/']);
    const res = await commonMiddleware(app)(makeRequest(app, { url: '/about?x=1&y=%20two' }), fakeNext(notFound));
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/about/?x=1&y=%20two');
  });

  it('redirects HEAD too, and also when next throws Http404', async () => {
    const app = makeApp({}, ['/about/']);
    const next: Handler = async () => {
      throw new Http404('no route');
    };
    const res = await commonMiddleware(app)(makeRequest(app, { method: 'HEAD', url: '/about' }), next);
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/about/');
  });

  it('keeps the 404 when the path itself is a route, when the slash path is not, or when APPEND_SLASH is off', async () => {
    const both = makeApp({}, ['/about', '/about/']);
    expect((await commonMiddleware(both)(makeRequest(both, { url: '/about' }), fakeNext(notFound))).status).toBe(404);
    const none = makeApp({}, []);
    expect((await commonMiddleware(none)(makeRequest(none, { url: '/about' }), fakeNext(notFound))).status).toBe(404);
    const off = makeApp({ APPEND_SLASH: false }, ['/about/']);
    expect((await commonMiddleware(off)(makeRequest(off, { url: '/about' }), fakeNext(notFound))).status).toBe(404);
  });

  it('leaves successful responses alone', async () => {
    const app = makeApp({}, ['/about/']);
    const res = await commonMiddleware(app)(makeRequest(app, { url: '/about' }), fakeNext(text('view answered')));
    expect(res.status).toBe(200);
  });

  it('never redirects to another host (// and /\\ paths)', async () => {
    const app = makeApp({}, (p) => p.endsWith('/'));
    for (const [url, expected] of [
      ['//evil.example', '/%2Fevil.example/'],
      ['//evil.example?next=1', '/%2Fevil.example/?next=1'],
      ['/\\evil.example', '/%5Cevil.example/'],
      ['///evil.example', '/%2F/evil.example/'],
    ] as const) {
      const res = await commonMiddleware(app)(makeRequest(app, { url }), fakeNext(notFound));
      expect(res.status, url).toBe(301);
      const location = res.headers.get('location')!;
      expect(location, url).toBe(expected);
      expect(location.startsWith('//')).toBe(false);
      expect(new URL(location, 'http://testserver').host).toBe('testserver');
    }
    expect(sameSiteLocation('/\t/evil.example/')).toBe('/%09/evil.example/');
  });

  it('does not redirect POST: a plain 404 in production, an explanatory 404 under DEBUG', async () => {
    const prod = makeApp({}, ['/submit/']);
    const res = await commonMiddleware(prod)(makeRequest(prod, { method: 'POST', url: '/submit' }), fakeNext(notFound));
    expect(res.status).toBe(404);

    const debug = makeApp({ DEBUG: true }, ['/submit/']);
    const failure = commonMiddleware(debug)(makeRequest(debug, { method: 'POST', url: '/submit' }), fakeNext(notFound));
    await expect(failure).rejects.toBeInstanceOf(Http404);
    await expect(failure).rejects.toThrow(/APPEND_SLASH.*\/submit\//s);
  });
});

describe('common middleware: SECURE_SSL_REDIRECT', () => {
  it('redirects insecure requests to https with 301 and passes secure ones', async () => {
    const app = makeApp({ SECURE_SSL_REDIRECT: true });
    const next = fakeNext();
    const res = await commonMiddleware(app)(makeRequest(app, { url: '/account/?tab=2' }), next);
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('https://testserver/account/?tab=2');
    expect(next.calls).toBe(0);
    const secure = await commonMiddleware(app)(makeRequest(app, { url: '/account/', secure: true }), next);
    expect(secure.status).toBe(200);
    expect(next.calls).toBe(1);
  });

  it('validates the Host before redirecting to it', async () => {
    const app = makeApp({ SECURE_SSL_REDIRECT: true });
    await expect(commonMiddleware(app)(makeRequest(app, { headers: { host: 'evil.example' } }), fakeNext())).rejects.toThrow(SuspiciousOperation);
  });
});

describe('security middleware', () => {
  it('adds the default security headers', async () => {
    const app = makeApp();
    const res = await securityMiddleware(app)(makeRequest(app), fakeNext());
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.has('strict-transport-security')).toBe(false);
  });

  it("keeps a view's own values", async () => {
    const app = makeApp();
    const own = text('framed', { headers: { 'X-Frame-Options': 'SAMEORIGIN', 'referrer-policy': 'no-referrer' } });
    const res = await securityMiddleware(app)(makeRequest(app), fakeNext(own));
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('sends HSTS only over HTTPS, with the configured flags', async () => {
    const app = makeApp({ SECURE_HSTS_SECONDS: 31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS: true, SECURE_HSTS_PRELOAD: true });
    const middleware = securityMiddleware(app);
    const insecure = await middleware(makeRequest(app), fakeNext());
    expect(insecure.headers.has('strict-transport-security')).toBe(false);
    const secure = await middleware(makeRequest(app, { secure: true }), fakeNext());
    expect(secure.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains; preload');

    const plain = makeApp({ SECURE_HSTS_SECONDS: 60 });
    const res = await securityMiddleware(plain)(makeRequest(plain, { secure: true }), fakeNext());
    expect(res.headers.get('strict-transport-security')).toBe('max-age=60');
  });

  it('treats a trusted proxy header as HTTPS', async () => {
    const app = makeApp({ SECURE_HSTS_SECONDS: 60, TRUSTED_PROXIES: ['10.0.0.2'], SECURE_PROXY_SSL_HEADER: ['X-Forwarded-Proto', 'https'] });
    const proxied = makeRequest(app, { remoteAddress: '10.0.0.2', headers: { 'x-forwarded-proto': 'https' } });
    expect((await securityMiddleware(app)(proxied, fakeNext())).headers.get('strict-transport-security')).toBe('max-age=60');
    const spoofed = makeRequest(app, { remoteAddress: '203.0.113.9', headers: { 'x-forwarded-proto': 'https' } });
    expect((await securityMiddleware(app)(spoofed, fakeNext())).headers.has('strict-transport-security')).toBe(false);
  });

  it('omits headers whose settings are null or off', async () => {
    const app = makeApp({ X_FRAME_OPTIONS: null, SECURE_REFERRER_POLICY: null, SECURE_CROSS_ORIGIN_OPENER_POLICY: null, SECURE_CONTENT_TYPE_NOSNIFF: false });
    const res = await securityMiddleware(app)(makeRequest(app), fakeNext());
    expect([...res.headers.entries()]).toEqual([['content-type', 'text/plain; charset=utf-8']]);
  });
});

describe('gzip middleware', () => {
  const big = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, title: `Item number ${i}`, tags: ['a', 'b'] })) };
  const gzipHeaders = { 'accept-encoding': 'gzip, deflate, br' };

  async function run(response: HttpResponse, headers: Record<string, string> = gzipHeaders, settings: Record<string, unknown> = {}) {
    const app = makeApp(settings);
    return gzipMiddleware(app)(makeRequest(app, { headers }), fakeNext(response));
  }

  it('compresses a large JSON response that decompresses to the original', async () => {
    const original = JSON.stringify(big);
    const res = await run(json(big));
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    const body = res.body as Uint8Array;
    expect(body).toBeInstanceOf(Uint8Array);
    expect(Number(res.headers.get('content-length'))).toBe(body.byteLength);
    expect(body.byteLength).toBeLessThan(Buffer.byteLength(original));
    expect(gunzipSync(body).toString('utf8')).toBe(original);
  });

  it('compresses text, SVG and +json types but not images', async () => {
    const long = 'lorem ipsum '.repeat(100);
    expect((await run(html(long))).headers.get('content-encoding')).toBe('gzip');
    expect((await run(new HttpResponse(long, { headers: { 'content-type': 'image/svg+xml' } }))).headers.get('content-encoding')).toBe('gzip');
    expect((await run(new HttpResponse(long, { headers: { 'content-type': 'application/problem+json' } }))).headers.get('content-encoding')).toBe('gzip');
    expect((await run(new HttpResponse(long, { headers: { 'content-type': 'image/png' } }))).headers.has('content-encoding')).toBe(false);
    expect((await run(new HttpResponse(long))).headers.has('content-encoding')).toBe(false);
  });

  it('skips small bodies, per GZIP_MIN_LENGTH', async () => {
    const small = await run(json({ ok: true }));
    expect(small.headers.has('content-encoding')).toBe(false);
    expect(small.body).toBe('{"ok":true}');
    const lowered = await run(text('x'.repeat(50)), gzipHeaders, { GZIP_MIN_LENGTH: 10 });
    expect(lowered.headers.get('content-encoding')).toBe('gzip');
  });

  it('skips responses that are already encoded or not 200', async () => {
    const encoded = await run(text('z'.repeat(1000), { headers: { 'content-encoding': 'br' } }));
    expect(encoded.headers.get('content-encoding')).toBe('br');
    expect(encoded.body).toBe('z'.repeat(1000));
    const missing = await run(html('n'.repeat(1000), { status: 404 }));
    expect(missing.headers.has('content-encoding')).toBe(false);
  });

  it('respects Accept-Encoding (absent, q=0, wildcard) and always adds Vary', async () => {
    const none = await run(json(big), {});
    expect(none.headers.has('content-encoding')).toBe(false);
    expect(none.headers.get('vary')).toBe('Accept-Encoding');
    expect(typeof none.body).toBe('string');
    expect((await run(json(big), { 'accept-encoding': 'gzip;q=0, br' })).headers.has('content-encoding')).toBe(false);
    expect((await run(json(big), { 'accept-encoding': 'br, *;q=0.1' })).headers.get('content-encoding')).toBe('gzip');
    expect((await run(json(big), { 'accept-encoding': '*, gzip;q=0' })).headers.has('content-encoding')).toBe(false);
    const varied = await run(json(big, { headers: { vary: 'Cookie' } }));
    expect(varied.headers.get('vary')).toBe('Cookie, Accept-Encoding');
  });

  it('weakens a strong ETag and leaves a weak one', async () => {
    const strong = await run(json(big, { headers: { etag: '"abc123"' } }));
    expect(strong.headers.get('etag')).toBe('W/"abc123"');
    const weak = await run(json(big, { headers: { etag: 'W/"abc123"' } }));
    expect(weak.headers.get('etag')).toBe('W/"abc123"');
  });

  it('compresses a streamed body chunk by chunk, flushing each one', async () => {
    const parts = ['data: first event\n\n', 'data: second event\n\n', 'data: third event\n\n'];
    async function* events() {
      for (const part of parts) yield part;
    }
    const res = await run(stream(events(), { contentType: 'text/event-stream', headers: { 'content-length': '999' } }));
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.has('content-length')).toBe(false);
    const chunks: Buffer[] = [];
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      // Each chunk so far decodes to the events sent so far: nothing is held back in zlib.
      const sofar = gunzipSync(Buffer.concat(chunks), { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
      if (chunks.length <= parts.length) expect(sofar).toBe(parts.slice(0, chunks.length).join(''));
    }
    expect(gunzipSync(Buffer.concat(chunks)).toString('utf8')).toBe(parts.join(''));
  });
});

describe('request logging middleware', () => {
  const pinned = () => new Date('2026-11-25T13:40:00Z');

  function logger() {
    const lines: string[] = [];
    const factory = createRequestLoggingMiddleware({ sink: { write: (line) => lines.push(line) }, now: pinned });
    return { lines, factory };
  }

  it('writes one Common Log Format line with status, size and time', async () => {
    const { lines, factory } = logger();
    const app = makeApp();
    await factory(app)(makeRequest(app, { url: '/path?q=1' }), fakeNext(text('hello')));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^127\.0\.0\.1 - - \[25\/Nov\/2026:13:40:00 \+0000\] "GET \/path\?q=1 HTTP\/1\.1" 200 5 \d+\.\dms\n$/);
  });

  it("logs '-' for a streamed size and the status of an escaping error", async () => {
    const { lines, factory } = logger();
    const app = makeApp();
    async function* chunks() {
      yield 'a';
    }
    await factory(app)(makeRequest(app), fakeNext(stream(chunks())));
    const failing: Handler = async () => {
      throw new Http404('gone');
    };
    await expect(factory(app)(makeRequest(app, { method: 'DELETE', url: '/x/' }), failing)).rejects.toThrow('gone');
    expect(lines[0]).toMatch(/" 200 - /);
    expect(lines[1]).toMatch(/"DELETE \/x\/ HTTP\/1\.1" 404 - /);
  });

  it('escapes quotes and control characters from the request line', async () => {
    const { lines, factory } = logger();
    const app = makeApp();
    await factory(app)(makeRequest(app, { url: '/a"b\x1b[31m' }), fakeNext());
    expect(lines[0]).toContain('"GET /a\\x22b\\x1b[31m HTTP/1.1"');
    expect(lines[0]!.split('\n')).toHaveLength(2);
  });

  it('formats dates in UTC with English month names', () => {
    expect(formatLogDate(new Date('2027-01-03T04:05:06Z'))).toBe('03/Jan/2027:04:05:06 +0000');
  });
});

describe('builtinMiddleware', () => {
  it('names the built-ins and composes them into a working onion', async () => {
    expect(Object.keys(builtinMiddleware).sort()).toEqual(['cache', 'common', 'csp', 'fetchFromCache', 'gzip', 'logging', 'security', 'updateCache']);
    const app = makeApp({}, ['/data/']);
    const handler = compose(
      [builtinMiddleware['security']!(app), builtinMiddleware['gzip']!(app), builtinMiddleware['common']!(app)],
      async () => json({ text: 'y'.repeat(500) }),
    );
    const res = await handler(makeRequest(app, { url: '/data/', headers: { 'accept-encoding': 'gzip' } }));
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(JSON.parse(gunzipSync(res.body as Uint8Array).toString('utf8'))).toEqual({ text: 'y'.repeat(500) });
  });
});
