import { describe, expect, it, vi } from 'vitest';
import { createApplication } from '../src/app/create-application.js';
import { TestClient } from '../src/testing/test-client.js';
import { path } from '../src/routing/index.js';
import { HttpResponse, text } from '../src/http/response.js';
import { HttpRequest } from '../src/http/request.js';
import { AtriumError, ImproperlyConfigured } from '../src/errors.js';
import { compose } from '../src/middleware/compose.js';
import { phasedMiddleware, phasesOf, withPhases } from '../src/middleware/middleware-phases.js';
import { securityMiddleware } from '../src/middleware/security.js';
import { commonMiddleware } from '../src/middleware/common.js';
import type { Middleware, MiddlewareFactory } from '../src/middleware/types.js';
import type { HttpResponse as Response } from '../src/http/response.js';

const SECRET = 's'.repeat(50);

function routes() {
  return [
    path('sync/', () => text('sync')),
    path('async/', async () => {
      await new Promise((r) => setTimeout(r, 1));
      return text('async');
    }),
    path('boom/', () => {
      throw new Error('view failed');
    }),
    path('async-boom/', async () => {
      await Promise.resolve();
      throw new Error('async view failed');
    }),
    path('nothing/', (() => undefined) as unknown as () => Response),
  ];
}

async function client(middleware: (string | MiddlewareFactory)[], settings: Record<string, unknown> = {}) {
  const app = await createApplication({
    settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['testserver'], MIDDLEWARE: middleware, ...settings },
    routes: routes(),
    templates: null,
    env: {},
  });
  return new TestClient(app);
}

/** A function middleware that records its passage and tags the response. */
function recorder(name: string, log: string[]): MiddlewareFactory {
  return () =>
    async function record(request, next) {
      log.push(`${name}:in`);
      const response = await next(request);
      log.push(`${name}:out:${response.status}`);
      response.headers.set(`x-seen-${name}`, '1');
      return response;
    };
}

/** Phased middleware that records its phases; `fail` makes one phase throw. */
function phased(name: string, log: string[], fail?: 'request' | 'response'): MiddlewareFactory {
  return () => {
    const request = (req: HttpRequest): Response | undefined => {
      log.push(`${name}:request`);
      if (fail === 'request') throw new Error(`${name} request phase failed`);
      return req.path === `/${name}-early/` ? text(`early from ${name}`) : undefined;
    };
    const response = (_req: HttpRequest, res: Response): Response => {
      log.push(`${name}:response:${res.status}`);
      if (fail === 'response') throw new Error(`${name} response phase failed`);
      res.headers.set(`x-phase-${name}`, '1');
      return res;
    };
    return withPhases(
      async function phasedLayer(req, next) {
        const early = request(req);
        if (early !== undefined) return early;
        return response(req, await next(req));
      },
      { request, response },
    );
  };
}

const silence = () => vi.spyOn(process.stderr, 'write').mockImplementation(() => true);

describe('middleware chain inside an application', () => {
  it('runs phased and function layers interleaved in settings order, for sync and async views', async () => {
    for (const url of ['/sync/', '/async/']) {
      const log: string[] = [];
      const c = await client([recorder('a', log), phased('p', log), recorder('b', log), phased('q', log), phased('r', log)]);
      const res = await c.get(url);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(url === '/sync/' ? 'sync' : 'async');
      expect(log).toEqual(['a:in', 'p:request', 'b:in', 'q:request', 'r:request', 'r:response:200', 'q:response:200', 'b:out:200', 'p:response:200', 'a:out:200']);
      for (const header of ['x-seen-a', 'x-seen-b', 'x-phase-p', 'x-phase-q', 'x-phase-r']) expect(res.headers.get(header)).toBe('1');
    }
  });

  it('turns view errors, sync or async, into error pages every layer still sees', async () => {
    const stderr = silence();
    try {
      for (const url of ['/boom/', '/async-boom/', '/nothing/']) {
        const log: string[] = [];
        const c = await client([recorder('a', log), 'security', phased('q', log), 'common']);
        const res = await c.get(url);
        expect(res.status).toBe(500);
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('x-phase-q')).toBe('1');
        expect(res.headers.get('x-seen-a')).toBe('1');
        expect(log).toEqual(['a:in', 'q:request', 'q:response:500', 'a:out:500']);
      }
    } finally {
      stderr.mockRestore();
    }
  });

  it('an error in a request phase becomes an error page at that layer: inner layers and its own response phase are skipped', async () => {
    const stderr = silence();
    try {
      const log: string[] = [];
      const c = await client([phased('p', log), recorder('b', log), phased('q', log, 'request'), phased('r', log)]);
      const res = await c.get('/sync/');
      expect(res.status).toBe(500);
      expect(log).toEqual(['p:request', 'b:in', 'q:request', 'b:out:500', 'p:response:500']);
      expect(res.headers.get('x-phase-q')).toBeUndefined();
      expect(res.headers.get('x-phase-p')).toBe('1');
    } finally {
      stderr.mockRestore();
    }
  });

  it('an error in a response phase becomes an error page that the outer phases see', async () => {
    const stderr = silence();
    try {
      const log: string[] = [];
      const c = await client(['security', phased('p', log), phased('q', log, 'response'), phased('r', log)]);
      const res = await c.get('/sync/');
      expect(res.status).toBe(500);
      expect(log).toEqual(['p:request', 'q:request', 'r:request', 'r:response:200', 'q:response:200', 'p:response:500']);
      expect(res.headers.get('x-phase-r')).toBeUndefined();
      expect(res.headers.get('x-phase-p')).toBe('1');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      stderr.mockRestore();
    }
  });

  it('an early response from a request phase skips inner layers and its own response phase', async () => {
    const log: string[] = [];
    const c = await client([phased('p', log), phased('q', log), recorder('b', log)]);
    const res = await c.get('/q-early/');
    expect(await res.text()).toBe('early from q');
    expect(log).toEqual(['p:request', 'q:request', 'p:response:200']);
  });

  it('runs layers that have only one of the two phases in place: early answers, request and response errors', async () => {
    const stderr = silence();
    try {
      const log: string[] = [];
      /** A layer with a request phase only, or a response phase only; `name-early` answers early, `fail` throws. */
      const half = (name: string, phase: 'request' | 'response', fail = false): MiddlewareFactory => () =>
        phasedMiddleware(
          phase === 'request'
            ? {
                request: (req) => {
                  log.push(`${name}:request`);
                  if (fail) throw new Error(`${name} failed`);
                  return req.path === `/${name}-early/` ? text(`early from ${name}`) : undefined;
                },
              }
            : {
                response: (_req, res) => {
                  log.push(`${name}:response:${res.status}`);
                  if (fail) throw new Error(`${name} failed`);
                  return res;
                },
              },
        );
      const layers = (failing: string) => [
        half('a', 'response', failing === 'a'),
        half('b', 'request', failing === 'b'),
        phased('c', log),
        half('d', 'response', failing === 'd'),
        half('e', 'request', failing === 'e'),
      ];

      // An early answer from c: d (inside it) and c's own response phase are skipped; a (outside) sees it.
      let res = await (await (await client(layers(''))).get('/c-early/')).text();
      expect(res).toBe('early from c');
      expect(log.splice(0)).toEqual(['b:request', 'c:request', 'a:response:200']);

      // An early answer from b, the first request phase: only a's response phase runs.
      res = await (await (await client(layers(''))).get('/b-early/')).text();
      expect(res).toBe('early from b');
      expect(log.splice(0)).toEqual(['b:request', 'a:response:200']);

      // e fails: every response phase outside it sees the error page.
      expect((await (await client(layers('e'))).get('/sync/')).status).toBe(500);
      expect(log.splice(0)).toEqual(['b:request', 'c:request', 'e:request', 'd:response:500', 'c:response:500', 'a:response:500']);

      // d's response phase fails: c and a see the error page, d's failure is not retried.
      expect((await (await client(layers('d'))).get('/sync/')).status).toBe(500);
      expect(log.splice(0)).toEqual(['b:request', 'c:request', 'e:request', 'd:response:200', 'c:response:500', 'a:response:500']);

      // b fails before anything inside it ran: only a sees the error page.
      expect((await (await client(layers('b'))).get('/sync/')).status).toBe(500);
      expect(log.splice(0)).toEqual(['b:request', 'a:response:500']);
    } finally {
      stderr.mockRestore();
    }
  });

  it('security headers reach the 400 for a disallowed Host and the HTTPS redirect', async () => {
    const stderr = silence();
    try {
      const badHost = await new TestClient(await appFor(['security', 'common']), { host: 'evil.example' }).get('/sync/');
      expect(badHost.status).toBe(400);
      expect(badHost.headers.get('x-frame-options')).toBe('DENY');
      const redirect = await (await client(['security', 'common'], { SECURE_SSL_REDIRECT: true })).get('/sync/?a=1');
      expect(redirect.status).toBe(301);
      expect(redirect.headers.get('location')).toBe('https://testserver/sync/?a=1');
      expect(redirect.headers.get('referrer-policy')).toBe('same-origin');
    } finally {
      stderr.mockRestore();
    }
  });

  it('APPEND_SLASH redirects through the phased common layer and leaves matching paths alone', async () => {
    const c = await client(['security', 'common']);
    const redirected = await c.get('/sync', { query: { q: '1' } });
    expect(redirected.status).toBe(301);
    expect(redirected.headers.get('location')).toBe('/sync/?q=1');
    expect(redirected.headers.get('x-content-type-options')).toBe('nosniff');
    const missing = await c.get('/nowhere');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('turns an error of the outermost function middleware into an error page', async () => {
    const stderr = silence();
    try {
      const failing: MiddlewareFactory = () => async () => {
        throw new Error('outermost failed');
      };
      const sync: MiddlewareFactory = () => (() => {
        throw new Error('thrown synchronously');
      }) as unknown as Middleware;
      for (const layers of [[failing, 'security'], [sync, 'security'], ['security', sync, 'common']] satisfies (string | MiddlewareFactory)[][]) {
        const res = await (await client(layers)).get('/sync/');
        expect(res.status).toBe(500);
        expect(await res.text()).not.toContain('failed');
      }
    } finally {
      stderr.mockRestore();
    }
  });

  it('refuses a second next() call with E_NEXT_CALLED_TWICE, at that layer', async () => {
    const errors: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      errors.push(String(chunk));
      return true;
    });
    try {
      const twice: MiddlewareFactory = () =>
        async function greedy(request, next) {
          await next(request);
          return next(request);
        };
      const res = await (await client(['security', twice, 'common'])).get('/sync/');
      expect(res.status).toBe(500);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(errors.join('')).toContain('Middleware #1 (greedy) called next() twice');
    } finally {
      stderr.mockRestore();
    }
  });

  it('gives function middleware a promise from next() even when the view answered synchronously', async () => {
    let seen: unknown;
    const inspect: MiddlewareFactory = () => (request, next) => {
      const result = next(request);
      seen = result;
      return result;
    };
    const res = await (await client([inspect, 'common'])).get('/sync/');
    expect(res.status).toBe(200);
    expect(seen).toBeInstanceOf(Promise);
  });
});

describe('phased builtins keep their function form', () => {
  const context = async () =>
    (await createApplication({ settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['testserver'], MIDDLEWARE: [] }, routes: routes(), templates: null, env: {} })).context;

  it('security and common carry phases, and compose() runs their function forms', async () => {
    const ctx = await context();
    const security = securityMiddleware(ctx);
    const common = commonMiddleware(ctx);
    expect(phasesOf(security)?.response).toBeTypeOf('function');
    expect(phasesOf(common)?.request).toBeTypeOf('function');
    const handler = compose([security, common], async () => text('composed'));
    const request = new HttpRequest({ method: 'GET', url: '/x/', headers: { host: 'testserver' }, body: null });
    request.app = ctx;
    const res = await handler(request);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('security keeps headers a view set, adds HSTS only over HTTPS, and refuses a line break in a setting at start-up', async () => {
    const app = await createApplication({
      settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['testserver'], MIDDLEWARE: ['security', 'common'], SECURE_HSTS_SECONDS: 3600 },
      routes: [path('framed/', () => text('f', { headers: { 'X-Frame-Options': 'SAMEORIGIN' } }))],
      templates: null,
      env: {},
    });
    const c = new TestClient(app);
    const plain = await c.get('/framed/');
    expect(plain.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(plain.headers.get('strict-transport-security')).toBeUndefined();
    const secure = await c.get('/framed/', { secure: true });
    expect(secure.headers.get('strict-transport-security')).toBe('max-age=3600');
    const ctx = await context();
    const broken = { ...ctx, settings: { ...ctx.settings, SECURE_REFERRER_POLICY: 'same-origin\r\nX-Injected: 1' } };
    expect(() => securityMiddleware(broken)).toThrow(ImproperlyConfigured);
    expect(() => securityMiddleware(broken)).toThrow(/referrer-policy header contains a line break/);
  });

  it('compose() still refuses a double next()', async () => {
    const twice: Middleware = async (request, next) => {
      await next(request);
      return next(request);
    };
    const handler = compose([twice], async () => new HttpResponse('x'));
    const request = new HttpRequest({ method: 'GET', url: '/', headers: {}, body: null });
    await expect(handler(request)).rejects.toSatisfy((e: unknown) => e instanceof AtriumError && e.code === 'E_NEXT_CALLED_TWICE');
  });
});

async function appFor(middleware: string[]) {
  return createApplication({
    settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['testserver'], MIDDLEWARE: middleware },
    routes: routes(),
    templates: null,
    env: {},
  });
}

describe('phasedMiddleware()', () => {
  const header = (name: string): MiddlewareFactory => () =>
    phasedMiddleware({
      response: (_req, res) => {
        res.headers.set(`x-${name}`, '1');
        return res;
      },
    });
  const gate: MiddlewareFactory = () => phasedMiddleware({ request: (req) => (req.path === '/sync/' ? undefined : text('refused', { status: 403 })) });

  it('runs as phases in the chain: response phase on views, early answers and error pages', async () => {
    const c = await client([header('outer'), gate, header('inner'), 'security']);
    const ok = await c.get('/sync/');
    expect(await ok.text()).toBe('sync');
    expect([ok.headers.get('x-outer'), ok.headers.get('x-inner')]).toEqual(['1', '1']);
    const refused = await c.get('/async/');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-outer')).toBe('1');
    expect(refused.headers.get('x-inner')).toBeUndefined(); // inside the layer that answered early
    const c2 = await client([header('outer')]);
    const failed = await c2.get('/boom/');
    expect(failed.status).toBe(500);
    expect(failed.headers.get('x-outer')).toBe('1');
  });

  it('has a function form that does the same, for compose() and direct calls', async () => {
    const layer = phasedMiddleware({
      request: (req) => (req.path === '/stop' ? text('stopped') : undefined),
      response: (_req, res) => {
        res.headers.set('x-after', 'yes');
        return res;
      },
    });
    expect(phasesOf(layer)).toBeDefined();
    const handler = compose([layer], async () => new HttpResponse('view'));
    const passed = await handler(new HttpRequest({ method: 'GET', url: '/go', headers: {}, body: null }));
    expect([passed.body, passed.headers.get('x-after')]).toEqual(['view', 'yes']);
    const stopped = await handler(new HttpRequest({ method: 'GET', url: '/stop', headers: {}, body: null }));
    expect([stopped.body, stopped.headers.get('x-after')]).toEqual(['stopped', undefined]);
  });
});
