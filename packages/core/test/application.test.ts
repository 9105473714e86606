import { describe, expect, it } from 'vitest';
import { createApplication } from '../src/app/create-application.js';
import { TestClient } from '../src/testing/test-client.js';
import { path, include } from '../src/routing/index.js';
import { html, json, text } from '../src/http/response.js';
import type { Middleware, MiddlewareFactory } from '../src/middleware/types.js';
import { ImproperlyConfigured } from '../src/errors.js';

const SECRET = 's'.repeat(50);
const base = { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['testserver'], TEMPLATES: { BACKEND: '@atrium/templates' } };

async function app(settings: Record<string, unknown> = {}, routes = defaultRoutes()) {
  return createApplication({ settings: { ...base, ...settings }, routes, templates: null, env: {} });
}

function defaultRoutes() {
  return [
    path('', () => html('<h1>home</h1>'), { name: 'home' }),
    path('boom/', () => {
      throw new Error('kaboom secret detail');
    }),
    path('items/<int:id>/', (req, params: { id: number }) => json({ id: params.id, query: req.query.get('q') ?? null }), { name: 'item' }),
    include('api/', [path('ping/', () => text('pong'), { name: 'ping' })], { namespace: 'api' }),
    path('cookie/set/', () => html('ok').setSignedCookie('flavour', 'oatmeal', { httpOnly: true })),
    path('cookie/get/', (req) => text(req.getSignedCookie('flavour') ?? 'none')),
  ];
}

describe('application', () => {
  it('routes, converts params and reverses', async () => {
    const a = await app();
    const client = new TestClient(a);
    const res = await client.get('/items/42/', { query: { q: 'x' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 42, query: 'x' });
    expect(a.context.reverse('item', { id: 7 })).toBe('/items/7/');
    expect(a.context.reverse('api:ping')).toBe('/api/ping/');
  });

  it('adds security headers to pages and to error pages', async () => {
    const client = new TestClient(await app());
    for (const url of ['/', '/missing/', '/boom/']) {
      const res = await client.get(url);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    }
  });

  it('rejects a Host not in ALLOWED_HOSTS with 400', async () => {
    const client = new TestClient(await app(), { host: 'evil.example' });
    const res = await client.get('/');
    expect(res.status).toBe(400);
  });

  it('shows the debug page only when DEBUG', async () => {
    const prod = await (new TestClient(await app({ DEBUG: false })).get('/boom/'));
    expect(prod.status).toBe(500);
    const prodBody = await prod.text();
    expect(prodBody).not.toContain('kaboom');
    expect(prodBody).not.toContain(SECRET);

    const dev = await new TestClient(await app({ DEBUG: true, ALLOWED_HOSTS: ['testserver'] })).get('/boom/');
    expect(dev.status).toBe(500);
    const devBody = await dev.text();
    expect(devBody).toContain('kaboom secret detail');
    expect(devBody).not.toContain(SECRET);
  });

  it('lists tried patterns on the DEBUG 404 page only', async () => {
    const dev = await new TestClient(await app({ DEBUG: true })).get('/nope/');
    expect(dev.status).toBe(404);
    expect(await dev.text()).toContain('items/&lt;int:id&gt;/');
    const prod = await new TestClient(await app()).get('/nope/');
    expect(prod.status).toBe(404);
    expect(await prod.text()).not.toContain('items/');
  });

  it('redirects to the trailing-slash URL with APPEND_SLASH', async () => {
    const client = new TestClient(await app());
    const res = await client.get('/items/3', { query: { q: '1' } });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/items/3/?q=1');
  });

  it('answers 405 with Allow, and HEAD without a body', async () => {
    const a = await app({}, [path('only-get/', () => text('hello'), { methods: ['GET'] })]);
    const client = new TestClient(a);
    const res = await client.post('/only-get/');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('GET');
    const head = await client.head('/only-get/');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('round-trips a signed cookie and refuses a tampered one', async () => {
    const client = new TestClient(await app());
    const set = await client.get('/cookie/set/');
    const header = String(set.headers.get('set-cookie'));
    expect(header).toMatch(/^flavour=/);
    expect(header).toMatch(/HttpOnly/i);
    expect(await (await client.get('/cookie/get/')).text()).toBe('oatmeal');
    const signed = client.cookies.get('flavour')!;
    client.cookies.set('flavour', signed.replace('oatmeal', 'chocolate'));
    expect(await (await client.get('/cookie/get/')).text()).toBe('none');
  });

  it('runs middleware in settings order, outermost first', async () => {
    const order: string[] = [];
    const make = (name: string): MiddlewareFactory => () => {
      const mw: Middleware = async (request, next) => {
        order.push(`${name}:in`);
        const response = await next(request);
        order.push(`${name}:out`);
        return response;
      };
      return mw;
    };
    const a = await app({ MIDDLEWARE: [make('first'), make('second'), 'common'] });
    await new TestClient(a).get('/');
    expect(order).toEqual(['first:in', 'second:in', 'second:out', 'first:out']);
  });

  it('converts an error thrown by a middleware into a response at that layer', async () => {
    const failing: MiddlewareFactory = () => async () => {
      throw new Error('middleware failed');
    };
    const a = await app({ MIDDLEWARE: ['security', failing] });
    const res = await new TestClient(a).get('/');
    expect(res.status).toBe(500);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('refuses an unknown middleware name at start-up, naming it', async () => {
    await expect(app({ MIDDLEWARE: ['sesions'] })).rejects.toThrowError(ImproperlyConfigured);
    await expect(app({ MIDDLEWARE: ['sesions'] })).rejects.toThrowError(/'sesions' is unknown/);
  });

  it('keeps serving after a view throws', async () => {
    const client = new TestClient(await app());
    expect((await client.get('/boom/')).status).toBe(500);
    expect((await client.get('/')).status).toBe(200);
  });
});
