import { describe, expect, it } from 'vitest';
import { createApplication, html, path, HttpResponse, type HttpRequest, type MiddlewareFactory } from '../../src/index.js';
import { TestClient } from '../../src/testing/index.js';
import {
  addNeverCacheHeaders,
  cachePage,
  getMaxAge,
  neverCache,
  patchCacheControl,
  patchVary,
  RedisStore,
  Cache,
  caches,
} from '../../src/cache/index.js';
import { freePort } from './servers.js';

const SECRET_KEY = 'x'.repeat(40);

/** A view that counts its calls and answers per the query string. */
function countingView(): { view: (request: HttpRequest) => HttpResponse; calls: () => number } {
  let calls = 0;
  const view = (request: HttpRequest): HttpResponse => {
    calls++;
    const response = html(`<p>call ${calls} lang=${request.header('accept-language') ?? '-'}</p>`);
    const q = request.query;
    if (q.get('vary')) patchVary(response, [q.get('vary')!]);
    if (q.get('cc')) response.headers.set('cache-control', q.get('cc')!);
    if (q.get('cookie')) response.setCookie('seen', '1');
    if (q.get('status')) response.status = Number(q.get('status'));
    return response;
  };
  return { view, calls: () => calls };
}

async function project(options: { middleware?: Array<string | MiddlewareFactory>; view: (request: HttpRequest) => HttpResponse; settings?: Record<string, unknown> }) {
  const app = await createApplication({
    settings: { SECRET_KEY, ALLOWED_HOSTS: ['testserver'], MIDDLEWARE: options.middleware ?? ['common'], ...options.settings },
    routes: [path('page/', cachePage(60)(options.view)), path('plain/', options.view), path('never/', neverCache(options.view)), path('form/', options.view, { methods: ['GET', 'POST'] })],
    apps: [],
    templates: null,
  });
  return { app, client: new TestClient(app) };
}

describe('cachePage', () => {
  it('serves the second GET from the cache, with Expires and max-age', async () => {
    const { view, calls } = countingView();
    const { app, client } = await project({ view });
    const first = await client.get('/page/');
    expect(await first.text()).toBe('<p>call 1 lang=-</p>');
    expect(first.headers.get('cache-control')).toBe('max-age=60');
    expect(first.headers.get('expires')).toMatch(/GMT$/);
    const second = await client.get('/page/');
    expect(await second.text()).toBe('<p>call 1 lang=-</p>');
    expect(second.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(calls()).toBe(1);
    // The query string is part of the key.
    expect(await (await client.get('/page/', { query: { x: '1' } })).text()).toBe('<p>call 2 lang=-</p>');
    // HEAD is answered from the GET entry.
    expect((await client.head('/page/')).status).toBe(200);
    expect(calls()).toBe(2);
    await app.close();
  });

  it('keys by the headers named in Vary', async () => {
    const { view, calls } = countingView();
    const { app, client } = await project({ view });
    const fr = { headers: { 'accept-language': 'fr' } };
    const de = { headers: { 'accept-language': 'de' } };
    expect(await (await client.get('/page/', { query: { vary: 'Accept-Language' }, ...fr })).text()).toBe('<p>call 1 lang=fr</p>');
    expect(await (await client.get('/page/', { query: { vary: 'Accept-Language' }, ...de })).text()).toBe('<p>call 2 lang=de</p>');
    expect(await (await client.get('/page/', { query: { vary: 'Accept-Language' }, ...fr })).text()).toBe('<p>call 1 lang=fr</p>');
    expect(await (await client.get('/page/', { query: { vary: 'Accept-Language' }, ...de })).text()).toBe('<p>call 2 lang=de</p>');
    expect(calls()).toBe(2);
    await app.close();
  });

  it('never caches responses that set cookies, are private/no-store/no-cache, Vary: *, or not 200', async () => {
    const cases: Array<Record<string, string>> = [{ cookie: '1' }, { cc: 'private' }, { cc: 'no-store' }, { cc: 'no-cache' }, { cc: 'max-age=0' }, { vary: '*' }, { status: '404' }];
    for (const query of cases) {
      const { view, calls } = countingView();
      const { app, client } = await project({ view });
      await client.get('/page/', { query });
      await client.get('/page/', { query });
      expect(calls(), JSON.stringify(query)).toBe(2);
      await app.close();
    }
  });

  it('a cached page never carries another visitor\'s cookie', async () => {
    const { view } = countingView();
    const { app, client } = await project({ view });
    const first = await client.get('/page/', { query: { cookie: '1' } });
    expect(first.headers.get('set-cookie')).toMatch(/^seen=1/);
    const other = new TestClient(app);
    const second = await other.get('/page/', { query: { cookie: '1' } });
    expect(await second.text()).toBe('<p>call 2 lang=-</p>');
    await app.close();
  });

  it('uses a response max-age over its own timeout', async () => {
    const { view } = countingView();
    const { app, client } = await project({ view });
    const response = await client.get('/page/', { query: { cc: 'public, max-age=5' } });
    expect(getMaxAge(response.response)).toBe(5);
    expect(response.headers.get('cache-control')).toBe('public, max-age=5');
    await app.close();
  });

  it('runs the view when the cache is down, never a 500', async () => {
    const { view, calls } = countingView();
    const lines: string[] = [];
    const port = await freePort();
    const { app, client } = await project({ view, settings: { CACHES: { default: { BACKEND: 'redis', LOCATION: `redis://127.0.0.1:${port}/0`, OPTIONS: { TIMEOUT_MS: 200 } } } } });
    // Collect the warning instead of printing it.
    const handler = caches(app.context);
    const store = handler.default.store as RedisStore;
    const observedCache = new Cache(store, { log: (line) => lines.push(line) });
    Object.defineProperty(handler, 'get', { value: () => observedCache });
    for (let i = 0; i < 3; i++) expect((await client.get('/page/')).status).toBe(200);
    expect(calls()).toBe(3);
    expect(lines).toHaveLength(1);
    await app.close();
  });
});

describe('cache middleware', () => {
  it("'updateCache' first and 'fetchFromCache' last cache whole pages, keyed on Vary added by outer layers", async () => {
    const { view, calls } = countingView();
    const varyCookie: MiddlewareFactory = () => async (request, next) => patchVary(await next(request), ['Cookie']);
    const { app, client } = await project({ view, middleware: ['updateCache', 'common', varyCookie, 'fetchFromCache'], settings: { CACHE_MIDDLEWARE_SECONDS: 30 } });
    const a = await client.get('/plain/', { headers: { cookie: 'sessionid=a' } });
    expect(a.headers.get('cache-control')).toBe('max-age=30');
    await client.get('/plain/', { headers: { cookie: 'sessionid=a' } });
    expect(calls()).toBe(1);
    expect(await (await client.get('/plain/', { headers: { cookie: 'sessionid=b' } })).text()).toBe('<p>call 2 lang=-</p>');
    // POST is never cached nor answered from the cache.
    await client.post('/form/', { form: { a: '1' } });
    await client.post('/form/', { form: { a: '1' } });
    expect(calls()).toBe(4);
    await app.close();
  });

  it("'cache' does both at one position; never-cached views stay uncached", async () => {
    const { view, calls } = countingView();
    const { app, client } = await project({ view, middleware: ['common', 'cache'] });
    await client.get('/plain/');
    await client.get('/plain/');
    expect(calls()).toBe(1);
    const never = await client.get('/never/');
    await client.get('/never/');
    expect(never.headers.get('cache-control')).toBe('max-age=0, no-cache, no-store, must-revalidate, private');
    expect(calls()).toBe(3);
    await app.close();
  });
});

describe('header helpers', () => {
  it('patchVary adds names once, case-insensitively; * wins', () => {
    const response = html('x');
    patchVary(response, ['Accept-Encoding']);
    patchVary(response, ['cookie', 'accept-encoding', 'Cookie']);
    expect(response.headers.get('vary')).toBe('Accept-Encoding, cookie');
    patchVary(response, ['*']);
    expect(response.headers.get('vary')).toBe('*');
  });

  it('patchCacheControl merges, keeps the smaller max-age, swaps public/private, removes with false', () => {
    const response = html('x', { headers: { 'cache-control': 'public, max-age=100' } });
    patchCacheControl(response, { 'max-age': 500, 'must-revalidate': true });
    expect(response.headers.get('cache-control')).toBe('public, max-age=100, must-revalidate');
    patchCacheControl(response, { private: true, 'must-revalidate': false, 'max-age': 10 });
    expect(response.headers.get('cache-control')).toBe('max-age=10, private');
    patchCacheControl(response, { public: true, private: false });
    expect(response.headers.get('cache-control')).toBe('max-age=10, public');
  });

  it('addNeverCacheHeaders forbids caching', () => {
    const response = addNeverCacheHeaders(html('x', { headers: { 'cache-control': 'public, max-age=600' } }));
    expect(response.headers.get('cache-control')).toBe('max-age=0, no-cache, no-store, must-revalidate, private');
    expect(response.headers.get('expires')).toMatch(/GMT$/);
  });
});
