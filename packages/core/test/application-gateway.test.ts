import { describe, expect, it, vi } from 'vitest';
import { request as httpRequest } from 'node:http';
import { createApplication, type Application } from '../src/app/create-application.js';
import { respondOf } from '../src/app/application-gateway.js';
import { serve } from '../src/server/node-server.js';
import { HttpRequest } from '../src/http/request.js';
import { text, type HttpResponse } from '../src/http/response.js';
import { path } from '../src/routing/index.js';
import type { MiddlewareFactory } from '../src/middleware/types.js';

const SECRET = 's'.repeat(50);

function makeRequest(url: string): HttpRequest {
  return new HttpRequest({ method: 'GET', url, headers: { host: 'testserver' }, body: null });
}

async function makeApp(middleware: (string | MiddlewareFactory)[], routes = [path('hi/', () => text('hi'))]) {
  return createApplication({ settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['testserver', '127.0.0.1'], MIDDLEWARE: middleware }, routes, templates: null, env: {} });
}

const asyncLayer: MiddlewareFactory = () => async (request, next) => {
  const response = await next(request);
  response.headers.set('x-async', '1');
  return response;
};

describe('application gateway', () => {
  it('answers through the callback within the call when no layer awaits', async () => {
    const app = await makeApp(['security', 'common']);
    const respond = respondOf(app)!;
    let answered: HttpResponse | undefined;
    const request = makeRequest('/hi/');
    const token = { connection: 1 };
    respond(
      request,
      (response, handedRequest, handedToken) => {
        // The request and the caller's token come back, so a server needs no closure per request.
        expect(handedRequest).toBe(request);
        expect(handedToken).toBe(token);
        answered = response;
      },
      token,
    );
    expect(answered?.status).toBe(200);
    expect(answered?.textBody).toBe('hi');
    expect(answered?.headers.get('x-frame-options')).toBe('DENY');
  });

  it('answers through the callback later when a layer awaits, with the same response handle() gives', async () => {
    const app = await makeApp([asyncLayer, 'security', 'common']);
    const answered = await new Promise<HttpResponse>((resolve) => respondOf(app)!(makeRequest('/hi/'), resolve, undefined));
    const handled = await app.handle(makeRequest('/hi/'));
    for (const response of [answered, handled]) {
      expect(response.status).toBe(200);
      expect(response.headers.get('x-async')).toBe('1');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
    }
    expect(Object.keys(app)).toEqual(['context', 'handle', 'close']);
  });

  it('serializes cookies and runs onFinish callbacks before the response is delivered, on both paths', async () => {
    const events: string[] = [];
    const routes = [
      path('c/', (request) => {
        request.onFinish(async () => {
          await Promise.resolve();
          events.push('cleanup');
        });
        return text('c').setCookie('flavour', 'oat');
      }),
    ];
    for (const middleware of [['common'], [asyncLayer, 'common']]) {
      events.length = 0;
      const app = await makeApp(middleware, routes);
      const response = await new Promise<HttpResponse>((resolve) =>
        respondOf(app)!(makeRequest('/c/'), (r) => {
          events.push('delivered');
          resolve(r);
        }, undefined),
      );
      expect(events).toEqual(['cleanup', 'delivered']);
      expect(response.headers.raw['set-cookie']).toBe('flavour=oat; Path=/');
      expect(response.cookies).toEqual([]);
    }
  });

  it('turns an invalid cookie and an error of the outermost layer into error pages', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const badCookie = await makeApp(['common'], [path('c/', () => text('c').setCookie('bad name', 'x'))]);
      expect((await badCookie.handle(makeRequest('/c/'))).status).toBe(500);
      const throwing: MiddlewareFactory = () => () => {
        throw new Error('outermost threw synchronously');
      };
      const outer = await makeApp([throwing, 'common']);
      expect((await outer.handle(makeRequest('/hi/'))).status).toBe(500);
      const answered = await new Promise<HttpResponse>((resolve) => respondOf(outer)!(makeRequest('/hi/'), resolve, undefined));
      expect(answered.status).toBe(500);
    } finally {
      stderr.mockRestore();
    }
  });

  it('serves a hand-written Application through handle(), and a rejected handle() as a bare 500', async () => {
    const inner = await makeApp(['common']);
    let fail = false;
    const wrapper: Application = {
      context: inner.context,
      handle: (request) => (fail ? Promise.reject(new Error('broken gateway')) : inner.handle(request)),
      close: () => inner.close(),
    };
    expect(respondOf(wrapper)).toBeUndefined();
    const server = await serve(wrapper, { port: 0 });
    const get = (url: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        httpRequest(url, { agent: false }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        })
          .on('error', reject)
          .end();
      });
    try {
      expect(await get(`${server.url}/hi/`)).toEqual({ status: 200, body: 'hi' });
      fail = true;
      expect(await get(`${server.url}/hi/`)).toEqual({ status: 500, body: 'Internal Server Error' });
      expect(server.inFlight).toBe(0);
    } finally {
      await server.close();
    }
  });
});
