import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { html, path, text, View, type Application, type HttpRequest, type TemplateBackend } from '@atrium/core';
import { createTemplateBackend } from '@atrium/templates';
import { TestClient } from '@atrium/core/testing';
import { csrfExempt, getCsrfToken, rotateCsrfToken, maskCsrfSecret, unmaskCsrfToken, generateCsrfSecret, csrfTokenMatches, CSRF_SESSION_KEY } from '../src/index.js';
import { authApplication } from './fixtures.js';

const form = (request: HttpRequest) => text(request.state.csrfToken ?? 'none');
const submit = () => text('ok');
class ExemptHook extends View {
  post() {
    return text('hook ok');
  }
}
const routes = [
  path('form/', form, { name: 'form' }),
  path('submit/', submit, { name: 'submit' }),
  path('hook/', csrfExempt(async () => text('exempt ok')), { name: 'hook' }),
  path('class-hook/', csrfExempt(ExemptHook.asView()), { name: 'class-hook' }),
  path('rotate/', (request) => {
    rotateCsrfToken(request);
    return text(getCsrfToken(request));
  }),
  path('plain/', () => text('no token used')),
  path('template/', async (request) => html(await templates!.renderString('<form method="post">{{ csrf_input }}</form>', {}, request))),
];
let templates: TemplateBackend | undefined;

let app: Application;
let debugApp: Application;
beforeAll(async () => {
  app = await authApplication(routes, { CSRF_TRUSTED_ORIGINS: ['https://*.example.com', 'https://partner.example.org'] });
  debugApp = await authApplication(routes, { DEBUG: true, ALLOWED_HOSTS: ['testserver'] });
  const settings = app.context.settings;
  templates = await createTemplateBackend({
    ...app.context,
    settings: { ...settings, TEMPLATES: { ...settings.TEMPLATES, DIRS: [], APP_DIRS: false, OPTIONS: { contextProcessors: ['csrf'] } } },
  });
});
afterAll(async () => {
  await app.close();
  await debugApp.close();
});

/** A client holding a CSRF cookie, and a fresh masked token for it. */
async function primed(target = app): Promise<{ client: TestClient; token: string; secret: string }> {
  const client = new TestClient(target);
  const res = await client.get('/form/');
  const token = await res.text();
  return { client, token, secret: client.cookies.get('csrftoken')! };
}

async function expect403(res: { status: number; text(): Promise<string> }, reason: string): Promise<void> {
  expect(res.status).toBe(403);
  expect(await res.text()).toContain(reason);
}

describe('CSRF tokens', () => {
  it('masks the secret differently on every request, and the mask round-trips', async () => {
    const { client, token, secret } = await primed();
    expect(secret).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(token).toMatch(/^[A-Za-z0-9]{64}$/);
    expect(unmaskCsrfToken(token)).toBe(secret);
    const second = await (await client.get('/form/')).text();
    expect(second).not.toBe(token);
    expect(unmaskCsrfToken(second)).toBe(secret);
    const s = generateCsrfSecret();
    expect(csrfTokenMatches(maskCsrfSecret(s), s)).toBe(true);
    expect(csrfTokenMatches(maskCsrfSecret(generateCsrfSecret()), s)).toBe(false);
  });

  it('sets the cookie only when a token was used, SameSite=Lax, and varies on Cookie', async () => {
    const client = new TestClient(app);
    const plain = await client.get('/plain/');
    expect(plain.headers.get('set-cookie')).toBeUndefined();
    const res = await client.get('/form/');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^csrftoken=[A-Za-z0-9]{32}; Max-Age=31449600; Path=\/; .*SameSite=Lax/);
    expect(cookie).not.toMatch(/HttpOnly/);
    expect(res.headers.get('vary')).toContain('Cookie');
    const secure = await client.get('/form/', { secure: true });
    expect(secure.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('accepts a valid token from the form field, the header, or the bare secret', async () => {
    const { client, token, secret } = await primed();
    expect((await client.post('/submit/', { form: { csrfmiddlewaretoken: token } })).status).toBe(200);
    expect((await client.post('/submit/', { headers: { 'x-csrftoken': token } })).status).toBe(200);
    expect((await client.post('/submit/', { json: { a: 1 }, headers: { 'X-CSRFToken': token } })).status).toBe(200);
    expect((await client.post('/submit/', { multipart: { fields: { csrfmiddlewaretoken: token } } })).status).toBe(200);
    expect((await client.post('/submit/', { form: { csrfmiddlewaretoken: secret } })).status).toBe(200);
    expect((await client.put('/submit/', { headers: { 'x-csrftoken': token } })).status).toBe(200);
    expect((await client.delete('/submit/', { headers: { 'x-csrftoken': token } })).status).toBe(200);
  });

  it("is rendered by the templates package's 'csrf' context processor, and the rendered form posts", async () => {
    const client = new TestClient(app);
    const page = await (await client.get('/template/')).text();
    const match = /^<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"><\/form>$/.exec(page);
    expect(match).not.toBeNull();
    expect((await client.post('/submit/', { form: { csrfmiddlewaretoken: match![1]! } })).status).toBe(200);
  });

  it('rotates the secret on request (login), invalidating older tokens', async () => {
    const { client, token } = await primed(debugApp);
    const fresh = await (await client.get('/rotate/')).text();
    expect(unmaskCsrfToken(fresh)).toBe(client.cookies.get('csrftoken'));
    await expect403(await client.post('/submit/', { form: { csrfmiddlewaretoken: token } }), 'CSRF token from POST incorrect.');
    expect((await client.post('/submit/', { form: { csrfmiddlewaretoken: fresh } })).status).toBe(200);
  });
});

describe('CSRF failures are 403 with a reason, never 500', () => {
  it('no cookie', async () => {
    const client = new TestClient(debugApp);
    await expect403(await client.post('/submit/', { form: { csrfmiddlewaretoken: maskCsrfSecret(generateCsrfSecret()) } }), 'CSRF cookie not set.');
  });

  it('missing token', async () => {
    const { client } = await primed(debugApp);
    await expect403(await client.post('/submit/', { form: { other: 'x' } }), 'CSRF token missing.');
  });

  it('wrong length', async () => {
    const { client } = await primed(debugApp);
    await expect403(await client.post('/submit/', { form: { csrfmiddlewaretoken: 'abc' } }), 'CSRF token from POST has incorrect length.');
  });

  it('invalid characters', async () => {
    const { client, token } = await primed(debugApp);
    await expect403(await client.post('/submit/', { form: { csrfmiddlewaretoken: `${token.slice(0, 63)}!` } }), 'CSRF token from POST has invalid characters.');
  });

  it('wrong value', async () => {
    const { client } = await primed(debugApp);
    await expect403(await client.post('/submit/', { form: { csrfmiddlewaretoken: maskCsrfSecret(generateCsrfSecret()) } }), 'CSRF token from POST incorrect.');
  });

  it('bad header token', async () => {
    const { client } = await primed(debugApp);
    await expect403(await client.post('/submit/', { headers: { 'x-csrftoken': 'x'.repeat(10) } }), "CSRF token from the &#39;X-CSRFToken&#39; HTTP header has incorrect length.");
    await expect403(await client.post('/submit/', { headers: { 'x-csrftoken': maskCsrfSecret(generateCsrfSecret()) } }), 'HTTP header incorrect.');
  });

  it('PUT, PATCH and DELETE without a token', async () => {
    const { client } = await primed(debugApp);
    for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
      await expect403(await client.request(method, '/submit/'), 'CSRF token missing.');
    }
  });

  it('a token in a PUT form body is not read (only POST forms are)', async () => {
    const { client, token } = await primed(debugApp);
    await expect403(await client.put('/submit/', { form: { csrfmiddlewaretoken: token } }), 'CSRF token missing.');
  });

  it('a malformed cookie', async () => {
    const client = new TestClient(debugApp);
    client.cookies.set('csrftoken', 'short');
    await expect403(await client.post('/submit/', { headers: { 'x-csrftoken': maskCsrfSecret(generateCsrfSecret()) } }), 'CSRF cookie has incorrect length.');
    client.cookies.set('csrftoken', '!'.repeat(32));
    await expect403(await client.post('/submit/', { headers: { 'x-csrftoken': maskCsrfSecret(generateCsrfSecret()) } }), 'CSRF cookie has invalid characters.');
  });

  it('Origin: null and foreign origins', async () => {
    const { client, token } = await primed(debugApp);
    await expect403(await client.post('/submit/', { form: { csrfmiddlewaretoken: token }, headers: { origin: 'null' } }), 'Origin checking failed - null does not match any trusted origins.');
    await expect403(await client.post('/submit/', { form: { csrfmiddlewaretoken: token }, headers: { origin: 'https://evil.example' } }), 'Origin checking failed - https://evil.example');
    // Right host, wrong scheme.
    await expect403(await client.post('/submit/', { form: { csrfmiddlewaretoken: token }, headers: { origin: 'https://testserver' } }), 'Origin checking failed');
    expect((await client.post('/submit/', { form: { csrfmiddlewaretoken: token }, headers: { origin: 'http://testserver' } })).status).toBe(200);
  });

  it('accepts CSRF_TRUSTED_ORIGINS, exact and wildcard', async () => {
    const { client, token } = await primed();
    expect((await client.post('/submit/', { form: { csrfmiddlewaretoken: token }, headers: { origin: 'https://shop.example.com' } })).status).toBe(200);
    expect((await client.post('/submit/', { form: { csrfmiddlewaretoken: token }, headers: { origin: 'https://partner.example.org' } })).status).toBe(200);
    expect((await client.post('/submit/', { form: { csrfmiddlewaretoken: token }, headers: { origin: 'http://shop.example.com' } })).status).toBe(403);
    expect((await client.post('/submit/', { form: { csrfmiddlewaretoken: token }, headers: { origin: 'https://example.com.evil.example' } })).status).toBe(403);
  });

  it('on HTTPS: missing, malformed, insecure and foreign Referer', async () => {
    const { client, token } = await primed(debugApp);
    const post = (headers: Record<string, string>) => client.post('/submit/', { secure: true, form: { csrfmiddlewaretoken: token }, headers });
    await expect403(await post({}), 'Referer checking failed - no Referer.');
    for (const referer of ['not a url', 'https://', '//testserver/form/', 'https:testserver', 'https://[::1']) {
      await expect403(await post({ referer }), 'Referer checking failed - Referer is malformed.');
    }
    await expect403(await post({ referer: 'http://testserver/form/' }), 'Referer checking failed - Referer is insecure while host is secure.');
    await expect403(await post({ referer: 'https://evil.example/form/' }), 'Referer checking failed - https://evil.example/form/ does not match any trusted origins.');
    expect((await post({ referer: 'https://testserver/form/' })).status).toBe(200);
  });

  it('on HTTPS a trusted origin host passes the Referer check', async () => {
    const { client, token } = await primed();
    const res = await client.post('/submit/', { secure: true, form: { csrfmiddlewaretoken: token }, headers: { referer: 'https://shop.example.com/cart/' } });
    expect(res.status).toBe(200);
  });

  it('a malformed multipart body answers 400, not 500', async () => {
    const { client } = await primed(debugApp);
    const res = await client.post('/submit/', { body: '--nope\r\ngarbage', contentType: 'multipart/form-data; boundary=abc' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('CSRF exemption and pages', () => {
  it('skips exempt function and class views', async () => {
    const client = new TestClient(app);
    expect(await (await client.post('/hook/', { json: { event: 'paid' } })).text()).toBe('exempt ok');
    expect(await (await client.post('/class-hook/', { json: {} })).text()).toBe('hook ok');
  });

  it('does not check safe methods', async () => {
    const client = new TestClient(app);
    for (const method of ['GET', 'HEAD', 'OPTIONS'] as const) expect((await client.request(method, '/submit/')).status).not.toBe(403);
  });

  it('with DEBUG explains the cause; in production says only that it failed', async () => {
    const debugPage = await (await new TestClient(debugApp).post('/submit/')).text();
    expect(debugPage).toContain('CSRF verification failed. Request aborted.');
    expect(debugPage).toContain('Reason given for failure');
    expect(debugPage).toContain('CSRF cookie not set.');
    const prod = await new TestClient(app).post('/submit/');
    expect(prod.status).toBe(403);
    const page = await prod.text();
    expect(page).toContain('CSRF verification failed. Request aborted.');
    expect(page).not.toContain('Reason given for failure');
  });

  it('answers JSON clients with JSON', async () => {
    const res = await new TestClient(app).post('/submit/', { json: {}, headers: { accept: 'application/json' } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { status: 403, code: 'E_CSRF_FAILED', message: 'CSRF verification failed.' } });
  });
});

describe('CSRF_USE_SESSIONS', () => {
  it('keeps the secret in the session instead of a cookie', async () => {
    let seen: unknown;
    const sessionApp = await authApplication(
      [
        ...routes,
        path('peek/', async (request) => {
          seen = await request.state.session!.get(CSRF_SESSION_KEY);
          return text('peeked');
        }),
      ],
      { CSRF_USE_SESSIONS: true, SESSION_ENGINE: 'memory' },
    );
    const client = new TestClient(sessionApp);
    const token = await (await client.get('/form/')).text();
    expect(client.cookies.get('csrftoken')).toBeUndefined();
    expect(client.cookies.get('sessionid')).toBeDefined();
    await client.get('/peek/');
    expect(seen).toBe(unmaskCsrfToken(token));
    expect((await client.post('/submit/', { form: { csrfmiddlewaretoken: token } })).status).toBe(200);
    expect((await new TestClient(sessionApp).post('/submit/', { form: { csrfmiddlewaretoken: token } })).status).toBe(403);
    await sessionApp.close();
  });

  it("refuses to start when 'sessions' does not come before 'csrf'", async () => {
    await expect(authApplication(routes, { CSRF_USE_SESSIONS: true, MIDDLEWARE: ['csrf', 'sessions'] })).rejects.toThrow(/MIDDLEWARE must list 'sessions' before 'csrf'/);
  });
});
