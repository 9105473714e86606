import { describe, expect, it } from 'vitest';
import { HttpRequest } from '../src/http/request.js';
import { text } from '../src/http/response.js';
import { validateSettings } from '../src/settings/validate-settings.js';
import { AtriumError, BadRequest, Http404, HttpError, MethodNotAllowed, PermissionDenied, SuspiciousOperation } from '../src/errors.js';
import type { AppContext } from '../src/app/context.js';
import type { TemplateBackend } from '../src/templates/template-backend.js';
import { errorResponse } from '../src/debug/error-response.js';
import { maskSettings, MASK } from '../src/debug/mask-settings.js';
import { createApplication } from '../src/app/create-application.js';
import { TestClient } from '../src/testing/test-client.js';
import { path } from '../src/routing/index.js';

const SECRET = 'super-secret-key-value-that-must-never-leak-0123456789';

function makeApp(settings: Record<string, unknown> = {}, templates: TemplateBackend | null = null): AppContext {
  return {
    settings: validateSettings(
      {
        SECRET_KEY: SECRET,
        ALLOWED_HOSTS: ['testserver'],
        DATABASES: { default: { ENGINE: 'postgres', NAME: 'app', USER: 'app', PASSWORD: 'db-password-123', HOST: 'db' } },
        STRIPE_API_TOKEN: 'sk_live_stripe_token',
        CACHE_URL: 'redis://cacheuser:cache-pass-456@cache:6379/0',
        ...settings,
      },
      { env: {} },
    ),
    router: { resolve: () => null, patterns: () => [] },
    templates,
  } as unknown as AppContext;
}

function makeRequest(app: AppContext, spec: { method?: string; url?: string; headers?: Record<string, string> } = {}): HttpRequest {
  const request = new HttpRequest({
    method: spec.method ?? 'GET',
    url: spec.url ?? '/boom/?q=<b>x</b>',
    headers: { host: 'testserver', accept: 'text/html,application/xhtml+xml,*/*;q=0.8', ...spec.headers },
    body: null,
    remoteAddress: '127.0.0.1',
  });
  request.app = app;
  return request;
}

/** Run errorResponse with a log collector. */
async function render(error: unknown, request: HttpRequest) {
  const logged: string[] = [];
  const response = await errorResponse(error, request, { log: (m) => logged.push(m) });
  return { response, body: response.textBody ?? '', logged };
}

function explode(): never {
  throw new TypeError('Cannot read <script>alert("x")</script> of undefined');
}

function thrown(): Error {
  try {
    explode();
  } catch (error) {
    return error as Error;
  }
}

/** A template backend with the given templates; `broken` ones reject when rendered. */
function fakeTemplates(pages: Record<string, string>, broken: readonly string[] = []): TemplateBackend & { contexts: Record<string, unknown>[] } {
  const contexts: Record<string, unknown>[] = [];
  return {
    contexts,
    exists: (name) => name in pages || broken.includes(name),
    async render(names, context) {
      const name = typeof names === 'string' ? names : names[0]!;
      contexts.push(context);
      if (broken.includes(name)) throw new Error(`template ${name} uses an undefined filter`);
      return pages[name]!;
    },
    async renderString(source) {
      return source;
    },
  };
}

describe('DEBUG 500 page', () => {
  it('shows the class, message, code, stack and request, all HTML-escaped', async () => {
    const app = makeApp({ DEBUG: true });
    const request = makeRequest(app, { headers: { cookie: 'sessionid=abc123secretsession; theme=dark', 'x-custom': '<img src=x onerror=alert(1)>' } });
    const { response, body, logged } = await render(thrown(), request);
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(body).toContain('TypeError');
    expect(body).toContain('Cannot read &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; of undefined');
    expect(body).not.toContain('<script>alert');
    expect(body).toContain('explode'); // a stack frame
    expect(body).toContain('/boom/');
    expect(body).toContain('&lt;b&gt;x&lt;/b&gt;'); // the query value, escaped
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(body).not.toContain('<img src=x');
    // Cookie names only, never their values.
    expect(body).toContain('sessionid');
    expect(body).toContain('theme');
    expect(body).not.toContain('abc123secretsession');
    expect(logged.join('\n')).toContain('explode');
  });

  it('masks SECRET_KEY and other secret-looking settings, nested ones too', async () => {
    const app = makeApp({ DEBUG: true });
    const { body } = await render(new Error('boom'), makeRequest(app));
    expect(body).toContain('SECRET_KEY');
    expect(body).not.toContain(SECRET);
    expect(body).toContain(MASK);
    expect(body).not.toContain('db-password-123');
    expect(body).not.toContain('sk_live_stripe_token');
    expect(body).not.toContain('cache-pass-456');
    expect(body).toContain('ALLOWED_HOSTS');
    expect(body).toContain('testserver');
  });

  it('shows the error code and the causes', async () => {
    const app = makeApp({ DEBUG: true });
    const error = new HttpError(503, 'Database unavailable', { code: 'E_DB_DOWN', cause: new Error('connect ECONNREFUSED 127.0.0.1:5432') });
    const { response, body } = await render(error, makeRequest(app));
    expect(response.status).toBe(503);
    expect(body).toContain('E_DB_DOWN');
    expect(body).toContain('ECONNREFUSED');
  });

  it('handles thrown values that are not Errors', async () => {
    const app = makeApp({ DEBUG: true });
    const { response, body } = await render('plain <string>', makeRequest(app));
    expect(response.status).toBe(500);
    expect(body).toContain('plain &lt;string&gt;');
  });
});

describe('production error pages', () => {
  it('500 shows no message, stack or settings, and logs the stack', async () => {
    const app = makeApp({ DEBUG: false });
    const { response, body, logged } = await render(thrown(), makeRequest(app));
    expect(response.status).toBe(500);
    expect(body).toContain('Internal Server Error');
    expect(body).not.toContain('Cannot read');
    expect(body).not.toContain('TypeError');
    expect(body).not.toContain('explode');
    expect(body).not.toContain(SECRET);
    expect(body).not.toContain('SECRET_KEY');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('500 Internal Server Error: GET /boom/');
    expect(logged[0]).toContain('Cannot read');
    expect(logged[0]).toContain('explode');
  });

  it('an AtriumError of another package answers with the status it declares (a database outage is a 503, not a 500)', async () => {
    class Unavailable extends AtriumError {
      readonly status = 503;
    }
    const app = makeApp({ DEBUG: false });
    const { response, body } = await render(new Unavailable('E_DATABASE_UNAVAILABLE', 'connect ECONNREFUSED 127.0.0.1:5432'), makeRequest(app));
    expect(response.status).toBe(503);
    expect(body).toContain('503 Service Unavailable');
    expect(body).not.toContain('ECONNREFUSED');
    // Any other error keeps its 500, whatever properties it has.
    const foreign = Object.assign(new Error('upstream said 404'), { status: 404 });
    expect((await render(foreign, makeRequest(app))).response.status).toBe(500);
  });

  it('renders <status>.html from the template backend with only the path and status', async () => {
    const templates = fakeTemplates({ '404.html': '<h1>Custom not found</h1>', '500.html': '<h1>Custom oops</h1>', '403.html': 'nope', '400.html': 'bad' });
    const app = makeApp({}, templates);
    const cases = [
      [thrown(), 500, '<h1>Custom oops</h1>'],
      [new Http404('No Post matches id 3', { tried: ['secret-admin-path/'] }), 404, '<h1>Custom not found</h1>'],
      [new PermissionDenied('Only staff'), 403, 'nope'],
      [new BadRequest('bad field'), 400, 'bad'],
    ] as const;
    for (const [error, status, page] of cases) {
      const { response, body } = await render(error, makeRequest(app, { url: '/p/' }));
      expect(response.status).toBe(status);
      expect(body).toBe(page);
    }
    for (const context of templates.contexts) {
      expect(Object.keys(context).sort()).toEqual(['request_path', 'status']);
      expect(context['request_path']).toBe('/p/');
    }
  });

  it('uses a small built-in page when there is no template', async () => {
    const app = makeApp({}, fakeTemplates({}));
    const { response, body } = await render(new Http404('No Post matches id 3', { tried: ['secret-admin-path/'] }), makeRequest(app));
    expect(response.status).toBe(404);
    expect(body).toContain('Not Found');
    expect(body).not.toContain('No Post matches');
    expect(body).not.toContain('secret-admin-path');
  });

  it('falls back to the built-in page when the error template itself fails', async () => {
    const app = makeApp({}, fakeTemplates({}, ['500.html']));
    const { response, body, logged } = await render(new Error('first failure'), makeRequest(app));
    expect(response.status).toBe(500);
    expect(body).toContain('Internal Server Error');
    expect(body).not.toContain('first failure');
    expect(body).not.toContain('undefined filter');
    expect(logged.some((line) => line.includes('undefined filter'))).toBe(true);

    const throwingExists = makeApp({}, { ...fakeTemplates({}), exists: () => { throw new Error('loader crashed'); } });
    const fallback = await render(new Http404(), makeRequest(throwingExists));
    expect(fallback.response.status).toBe(404);
    expect(fallback.body).toContain('Not Found');
  });

  it('hides SuspiciousOperation details in production and shows them under DEBUG', async () => {
    const error = new SuspiciousOperation("Invalid Host header \"evil.example\": add 'evil.example' to ALLOWED_HOSTS.", { code: 'E_DISALLOWED_HOST' });
    const prod = await render(error, makeRequest(makeApp()));
    expect(prod.response.status).toBe(400);
    expect(prod.body).toContain('Bad Request');
    expect(prod.body).not.toContain('ALLOWED_HOSTS');
    expect(prod.logged[0]).toContain('E_DISALLOWED_HOST');
    const debug = await render(error, makeRequest(makeApp({ DEBUG: true })));
    expect(debug.response.status).toBe(400);
    expect(debug.body).toContain('ALLOWED_HOSTS');
    expect(debug.body).toContain('E_DISALLOWED_HOST');
  });

  it("keeps an HttpError's headers (Allow on 405)", async () => {
    const { response } = await render(new MethodNotAllowed('DELETE', ['GET', 'HEAD']), makeRequest(makeApp()));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('DEBUG 404 page', () => {
  it('lists the tried patterns and the path, escaped', async () => {
    const app = makeApp({ DEBUG: true });
    const error = new Http404("No route matches the path '/nope/'.", { tried: ['', 'blog/<int:id>/ [name=\'blog:detail\']', 'about/'] });
    const { response, body, logged } = await render(error, makeRequest(app, { url: '/nope/' }));
    expect(response.status).toBe(404);
    expect(body).toContain('Page not found');
    expect(body).toContain('blog/&lt;int:id&gt;/ [name=&#39;blog:detail&#39;]');
    expect(body).toContain('about/');
    expect(body.indexOf('blog/&lt;int:id&gt;')).toBeLessThan(body.indexOf('about/'));
    expect(body).toContain('/nope/');
    expect(body).not.toContain(SECRET);
    expect(logged).toEqual([]);
  });

  it("shows a view's Http404 message when nothing was tried", async () => {
    const { body } = await render(new Http404('No <Post> matches id 3'), makeRequest(makeApp({ DEBUG: true })));
    expect(body).toContain('No &lt;Post&gt; matches id 3');
  });
});

describe('JSON error responses', () => {
  const jsonAccept = { accept: 'application/json' };

  it('gives {"error": {status, message}} for 4xx to JSON clients', async () => {
    const { response, body } = await render(new Http404('No Post matches id 3'), makeRequest(makeApp(), { headers: jsonAccept }));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(body)).toEqual({ error: { status: 404, message: 'No Post matches id 3', code: 'E_NOT_FOUND' } });
  });

  it('keeps 500 generic in production and detailed under DEBUG', async () => {
    const prod = JSON.parse((await render(thrown(), makeRequest(makeApp(), { headers: jsonAccept }))).body);
    expect(prod).toEqual({ error: { status: 500, message: 'Internal Server Error' } });
    const debug = JSON.parse((await render(thrown(), makeRequest(makeApp({ DEBUG: true }), { headers: jsonAccept }))).body);
    expect(debug.error.status).toBe(500);
    expect(debug.error.message).toContain('TypeError: Cannot read');
  });

  it('negotiates with Accept: JSON only when preferred over HTML', async () => {
    const kind = async (accept: string) => (await render(new Http404(), makeRequest(makeApp(), { headers: { accept } }))).response.headers.get('content-type');
    expect(await kind('application/json, text/plain, */*')).toBe('application/json');
    expect(await kind('text/html;q=0.5, application/json')).toBe('application/json');
    expect(await kind('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toBe('text/html; charset=utf-8');
    expect(await kind('*/*')).toBe('text/html; charset=utf-8');
    expect(await kind('application/json;q=0, text/html')).toBe('text/html; charset=utf-8');
    expect(await kind('')).toBe('text/html; charset=utf-8');
  });
});

describe('maskSettings', () => {
  it('masks secret-looking keys at any depth, URL passwords, and survives cycles and functions', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    function myMiddleware() {}
    const masked = maskSettings({
      SECRET_KEY: 'abc',
      NESTED: { deeper: { api_key: 'k', auth_header: 'h', keep: 'visible' } },
      LIST: [{ password: 'p' }],
      DB_URL: 'postgres://user:hunter2@db:5432/app',
      MIDDLEWARE: ['security', myMiddleware],
      cyclic,
    });
    expect(masked).toEqual({
      SECRET_KEY: MASK,
      NESTED: { deeper: { api_key: MASK, auth_header: MASK, keep: 'visible' } },
      LIST: [{ password: MASK }],
      DB_URL: `postgres://user:${MASK}@db:5432/app`,
      MIDDLEWARE: ['security', '[function myMiddleware]'],
      cyclic: { name: 'loop', self: '[circular]' },
    });
  });
});

/** Run `fn` with stderr muted: the application logs expected errors there. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stderr.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await fn();
  } finally {
    process.stderr.write = write;
  }
}

describe('through the application', () => {
  const routes = [
    path('boom/', () => {
      throw new Error('kaboom with detail');
    }),
    path('about/', () => text('about page')),
    path('submit/', () => text('posted'), { methods: ['POST'] }),
  ];

  async function client(settings: Record<string, unknown>) {
    const app = await createApplication({
      settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['testserver'], MIDDLEWARE: ['security', 'gzip', 'common'], ...settings },
      routes,
      templates: null,
      env: {},
    });
    return new TestClient(app);
  }

  it('serves the debug 404 with tried patterns and the APPEND_SLASH redirect', async () => {
    const c = await client({ DEBUG: true });
    const missing = await c.get('/nothing/');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('about/');
    const slash = await c.get('/about', { query: { ref: 'nav' } });
    expect(slash.status).toBe(301);
    expect(slash.headers.get('location')).toBe('/about/?ref=nav');
    const post = await c.post('/submit', { form: { a: '1' } });
    expect(post.status).toBe(404);
    expect(await post.text()).toContain('APPEND_SLASH');
  });

  it('refuses a bad Host with 400 and a generic page in production', async () => {
    const c = new TestClient(await createApplication({ settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['testserver'] }, routes, templates: null, env: {} }), {
      host: 'evil.example',
    });
    const res = await quietly(() => c.get('/about/'));
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('evil.example');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('keeps the process serving after a 500', async () => {
    const c = await client({});
    const boom = await quietly(() => c.get('/boom/'));
    expect(boom.status).toBe(500);
    expect(await boom.text()).not.toContain('kaboom');
    expect((await c.get('/about/')).status).toBe(200);
  });
});
