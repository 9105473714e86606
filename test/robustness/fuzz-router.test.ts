import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createApplication, HttpRequest, include, json, NoReverseMatch, path, text, type Application, type HttpResponse } from '@atrium/core';
import { checkProperty, nastyString, withinTime } from './support/fuzz.js';

/**
 * The router on any path string: whatever the client sends as the request
 * target, the answer is a response below 500 (a page, a redirect, 400 for a
 * bad Host or path, 404, 405), never a throw or a hang. Routes use every
 * built-in converter, an include with a namespace, and APPEND_SLASH.
 */
const routes = [
  path('', () => text('home'), { name: 'home' }),
  path('posts/<int:id>/', (_request, params) => json({ id: params.id }), { name: 'post' }),
  path('tags/<slug:tag>/', (_request, params) => json({ tag: params.tag }), { name: 'tag' }),
  path('users/<str:name>/', (_request, params) => json({ name: params.name }), { name: 'user' }),
  path('objects/<uuid:key>/', (_request, params) => json({ key: params.key }), { name: 'object' }),
  path('files/<path:rest>', (_request, params) => json({ rest: params.rest }), { name: 'file' }),
  path('only-get/', () => text('get'), { name: 'only-get', methods: ['GET'] }),
  include('api/v1/', [path('items/<int:id>/', (_request, params) => json({ id: params.id }), { name: 'item' })], { namespace: 'api' }),
];

async function buildApp(debug: boolean): Promise<Application> {
  return createApplication({
    settings: { SECRET_KEY: 'robustness-router-secret-key-0123456789-abcdef', ALLOWED_HOSTS: ['testserver'], DEBUG: debug, MIDDLEWARE: ['security', 'common'] },
    templates: null,
    routes,
  });
}

const apps = { production: await buildApp(false), debug: await buildApp(true) };

/** Path-like strings: random text, URL-ish segments, dot segments, encodings, backslashes and doubled slashes. */
const segment = fc.oneof(
  fc.constantFrom('', '.', '..', '%2e%2e', '%2F', '%00', '%', '%ff', '\\', '//', 'posts', 'tags', 'users', 'objects', 'files', 'api', 'v1', 'items', 'only-get', '123', '-1', '1e3', '99999999999999999999999', '<int:id>', '?', '#', ';', '@evil.example'),
  nastyString,
  fc.webSegment(),
);
const pathString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(segment, { maxLength: 8 }).map((parts) => `/${parts.join('/')}`),
  fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
  fc.tuple(fc.webPath(), fc.webQueryParameters()).map(([p, q]) => `/${p.replace(/^\//, '')}?${q}`),
);
const method = fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'), fc.stringMatching(/^[A-Za-z!#$%&'*+.^_`|~-]{1,12}$/));

function send(app: Application, requestMethod: string, url: string): Promise<HttpResponse> {
  const request = new HttpRequest({ method: requestMethod, url, headers: { host: 'testserver' }, body: null, remoteAddress: '127.0.0.1', encrypted: false });
  return withinTime(app.handle(request), 2_000, `${requestMethod} ${JSON.stringify(url)}`);
}

describe('router fuzzing: any request target gives a response below 500', () => {
  for (const [mode, app] of Object.entries(apps)) {
    it(`any path string and method, DEBUG ${mode === 'debug' ? 'on' : 'off'}`, async () => {
      await checkProperty(
        `router: any path (${mode})`,
        fc.asyncProperty(method, pathString, async (requestMethod, url) => {
          const response = await send(app, requestMethod, url);
          if (response.status >= 500) throw new Error(`${requestMethod} ${JSON.stringify(url)} gave ${response.status}`);
        }),
        400,
      );
    });
  }

  it('a matched integer parameter is the integer in the path', async () => {
    await checkProperty(
      'router: int converter',
      fc.asyncProperty(fc.oneof(fc.nat(), fc.string({ maxLength: 25 })), async (value) => {
        const response = await send(apps.production, 'GET', `/posts/${encodeURIComponent(String(value))}/`);
        if (response.status === 200) {
          const body = JSON.parse(response.textBody ?? 'null') as { id: unknown };
          if (typeof body.id !== 'number' || !Number.isSafeInteger(body.id) || body.id < 0) throw new Error(`id ${String(body.id)} from ${String(value)}`);
        } else if (response.status !== 404) throw new Error(`status ${response.status} for ${String(value)}`);
      }),
      300,
    );
  });

  it('reverse() either builds a URL that resolves back to the same parameter, or throws NoReverseMatch', async () => {
    const router = apps.production.context.router;
    await checkProperty(
      'router: reverse round trip',
      fc.property(fc.constantFrom('tag', 'user', 'file', 'post'), fc.oneof(nastyString, fc.nat().map(String)), (name, value) => {
        const key = { tag: 'tag', user: 'name', file: 'rest', post: 'id' }[name]!;
        let url: string;
        try {
          url = apps.production.context.reverse(name, { [key]: value });
        } catch (error) {
          if (error instanceof NoReverseMatch) return;
          throw error;
        }
        // Resolve the decoded path, as a request for that URL sees it.
        const decodedPath = new HttpRequest({ method: 'GET', url, headers: {}, body: null }).path;
        const match = router.resolve(decodedPath);
        if (match === null) throw new Error(`reverse('${name}', ${JSON.stringify(value)}) gave ${url}, which does not resolve`);
        if (String(match.params[key]) !== value) throw new Error(`${url} resolves to ${JSON.stringify(match.params[key])}, not ${JSON.stringify(value)}`);
      }),
      500,
    );
  });

  it('handles a few classic traversal and smuggling targets explicitly', async () => {
    for (const url of ['/files/../../etc/passwd', '/files/%2e%2e/%2e%2e/etc/passwd', '//evil.example/', '/\\evil.example', '/%00', '/posts/1/../../', '*', 'http://evil.example/posts/1/', '']) {
      const response = await send(apps.production, 'GET', url);
      expect(response.status, url).toBeLessThan(500);
    }
  });
});
