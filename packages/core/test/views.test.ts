import { describe, expect, expectTypeOf, it } from 'vitest';
import { View, type ClassBasedView, type ViewOptions } from '../src/views/view.js';
import { TemplateView } from '../src/views/template-view.js';
import { RedirectView } from '../src/views/redirect-view.js';
import { Router } from '../src/routing/router.js';
import { path } from '../src/routing/path.js';
import { dispatch } from '../src/routing/dispatch.js';
import { HttpRequest } from '../src/http/request.js';
import { json, text, type HttpResponse } from '../src/http/response.js';
import type { AppContext } from '../src/app/context.js';
import { createApplication } from '../src/app/create-application.js';
import { TestClient } from '../src/testing/test-client.js';
import type { TemplateBackend } from '../src/templates/template-backend.js';
import { ImproperlyConfigured, MethodNotAllowed, NoReverseMatch, SuspiciousOperation } from '../src/errors.js';

/** A template backend that records what it was asked to render. */
class RecordingBackend implements TemplateBackend {
  calls: Array<{ names: readonly string[]; context: Record<string, unknown>; request: HttpRequest | undefined }> = [];
  async render(names: string | readonly string[], context: Record<string, unknown>, request?: HttpRequest): Promise<string> {
    const list = typeof names === 'string' ? [names] : names;
    this.calls.push({ names: list, context, request });
    return `<p>${list[0]}:${String(context['title'] ?? '')}</p>`;
  }
  async renderString(source: string): Promise<string> {
    return source;
  }
  exists(): boolean {
    return true;
  }
}

function request(router: Router, method: string, url: string, templates: TemplateBackend | null = null): HttpRequest {
  const req = new HttpRequest({ method, url, headers: {}, body: null });
  req.app = { router, templates, reverse: (name: string, params?: Record<string, unknown>) => router.reverse(name, params) } as unknown as AppContext;
  return req;
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

let instances = 0;

class Article extends View {
  greeting = 'Hello';
  seen: string[] = [];
  constructor() {
    super();
    instances++;
  }
  get(req: HttpRequest, params: Record<string, unknown>): HttpResponse {
    this.seen.push('get');
    return json({ greeting: this.greeting, id: params['id'], sameRequest: this.request === req, sameParams: this.params === params, seen: this.seen });
  }
  async post(_req: HttpRequest, params: Record<string, unknown>): Promise<HttpResponse> {
    return text(`created ${String(params['id'])}`, { status: 201 });
  }
}

describe('View', () => {
  const router = new Router([path('articles/<int:id>/', Article.asView({ greeting: 'Hi' }), { name: 'article' }), path('bare/', View.asView())]);

  it('dispatches to the lower-case handler with a fresh instance per request', async () => {
    const before = instances;
    const first = await dispatch(request(router, 'GET', '/articles/4/'));
    const second = await dispatch(request(router, 'GET', '/articles/5/'));
    expect(instances - before).toBe(2);
    expect(JSON.parse(first.textBody!)).toEqual({ greeting: 'Hi', id: 4, sameRequest: true, sameParams: true, seen: ['get'] });
    // State set on one instance never leaks into the next request.
    expect(JSON.parse(second.textBody!).seen).toEqual(['get']);
    const created = await dispatch(request(router, 'POST', '/articles/5/'));
    expect(created.status).toBe(201);
    expect(created.textBody).toBe('created 5');
  });

  it('runs get for HEAD', async () => {
    const res = await dispatch(request(router, 'HEAD', '/articles/9/'));
    expect(JSON.parse(res.textBody!).id).toBe(9);
  });

  it('answers 405 with Allow for methods the class lacks', async () => {
    const error = await caught(dispatch(request(router, 'DELETE', '/articles/1/')));
    expect(error).toBeInstanceOf(MethodNotAllowed);
    expect((error as MethodNotAllowed).headers['allow']).toBe('GET, HEAD, POST, OPTIONS');
    const unknown = await caught(dispatch(request(router, 'BREW', '/articles/1/')));
    expect((unknown as MethodNotAllowed).status).toBe(405);
    const bare = await caught(dispatch(request(router, 'GET', '/bare/')));
    expect((bare as MethodNotAllowed).allowed).toEqual(['OPTIONS']);
  });

  it('answers OPTIONS with 204 and Allow', async () => {
    const res = await dispatch(request(router, 'OPTIONS', '/articles/1/'));
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
  });

  it('describes itself to the router', () => {
    const view = Article.asView({ greeting: 'Yo' });
    expect(view.viewClass).toBe(Article);
    expect(view.viewInitOptions).toEqual({ greeting: 'Yo' });
    expect(view.name).toBe('Article');
    expect(router.list()[0]).toEqual({ pattern: 'articles/<int:id>/', name: 'article', view: 'Article', methods: ['GET', 'HEAD', 'POST', 'OPTIONS'] });
  });

  it('refuses unknown options and handler names at start-up', () => {
    expect(() => Article.asView({ greetin: 'x' } as never)).toThrow(ImproperlyConfigured);
    expect(() => Article.asView({ greetin: 'x' } as never)).toThrow(
      "Article.asView() got an unknown option 'greetin'; options set attributes the class declares ('greeting', 'seen'). Declare 'greetin' in the class or fix the spelling.",
    );
    expect(() => Article.asView({ get: 'x' } as never)).toThrow(/'get', which is a method handler name/);
    expect(() => Article.asView({ request: 'x' } as never)).toThrow(/unknown option 'request'/);
  });

  it('types asView options from the class', () => {
    expectTypeOf<ViewOptions<Article>>().toEqualTypeOf<{ greeting?: string; seen?: string[] }>();
    expectTypeOf<ViewOptions<TemplateView>>().toEqualTypeOf<{
      templateName?: string | readonly string[] | null;
      extraContext?: Readonly<Record<string, unknown>> | null;
      contentType?: string;
    }>();
    expectTypeOf(TemplateView.asView()).toEqualTypeOf<ClassBasedView<TemplateView>>();
    // @ts-expect-error greetin is not an attribute of Article
    expect(() => Article.asView({ greetin: 'x' })).toThrow();
    // @ts-expect-error handlers are not options
    expect(() => TemplateView.asView({ get: 'x' })).toThrow();
    // A class view fits any pattern's path().
    path('x/<int:id>/', Article.asView());
  });
});

describe('TemplateView', () => {
  it('renders templateName with the params, view and extraContext', async () => {
    const backend = new RecordingBackend();
    const router = new Router([path('pages/<slug:slug>/', TemplateView.asView({ templateName: 'page.html', extraContext: { title: 'About' } }))]);
    const req = request(router, 'GET', '/pages/about-us/', backend);
    const res = await dispatch(req);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.textBody).toBe('<p>page.html:About</p>');
    const call = backend.calls[0]!;
    expect(call.names).toEqual(['page.html']);
    expect(call.request).toBe(req);
    expect(call.context['slug']).toBe('about-us');
    expect(call.context['title']).toBe('About');
    expect(call.context['view']).toBeInstanceOf(TemplateView);
  });

  it('uses an overridden getContextData and a list of template names', async () => {
    class PostPage extends TemplateView {
      override templateName = ['blog/post-special.html', 'blog/post.html'];
      override async getContextData(req: HttpRequest, params: Record<string, unknown>) {
        const base = await super.getContextData(req, params);
        return { ...base, title: `Post ${String(params['id'])}` };
      }
    }
    const backend = new RecordingBackend();
    const router = new Router([path('posts/<int:id>/', PostPage.asView())]);
    const res = await dispatch(request(router, 'GET', '/posts/7/', backend));
    expect(res.textBody).toBe('<p>blog/post-special.html:Post 7</p>');
    expect(backend.calls[0]!.names).toEqual(['blog/post-special.html', 'blog/post.html']);
    expect(backend.calls[0]!.context['id']).toBe(7);
  });

  it('explains a missing template backend', async () => {
    const router = new Router([path('about/', TemplateView.asView({ templateName: 'about.html' }))]);
    const error = await caught(dispatch(request(router, 'GET', '/about/', null)));
    expect(error).toBeInstanceOf(ImproperlyConfigured);
    expect((error as Error).message).toBe(
      "TemplateView cannot render 'about.html': no template backend is configured (request.app.templates is null). Install @atrium/templates, or set TEMPLATES.BACKEND to a module that exports createTemplateBackend().",
    );
  });

  it('explains a missing templateName', async () => {
    const router = new Router([path('about/', TemplateView.asView())]);
    const error = await caught(dispatch(request(router, 'GET', '/about/', new RecordingBackend())));
    expect(error).toBeInstanceOf(ImproperlyConfigured);
    expect((error as Error).message).toContain('TemplateView has no templateName');
  });

  it('answers only GET, HEAD and OPTIONS', async () => {
    const router = new Router([path('about/', TemplateView.asView({ templateName: 'about.html' }))]);
    const error = await caught(dispatch(request(router, 'POST', '/about/', new RecordingBackend())));
    expect((error as MethodNotAllowed).allowed).toEqual(['GET', 'HEAD', 'OPTIONS']);
    const head = await dispatch(request(router, 'HEAD', '/about/', new RecordingBackend()));
    expect(head.status).toBe(200);
  });
});

describe('RedirectView', () => {
  const router = new Router([
    path('old/<int:id>/', RedirectView.asView({ url: '/posts/{id}/', permanent: true })),
    path('files/<path:rest>', RedirectView.asView({ url: '/static/{rest}', queryString: true })),
    path('latest/', RedirectView.asView({ patternName: 'post', queryString: true })),
    path('jump/<int:id>/', RedirectView.asView({ patternName: 'post' })),
    path('gone/', RedirectView.asView()),
    path('typo/<int:id>/', RedirectView.asView({ url: '/posts/{pk}/' })),
    path('hop/<path:rest>', RedirectView.asView({ url: '/{rest}' })),
    path('posts/<int:id>/', () => text('post'), { name: 'post' }),
  ]);

  it('redirects to url with params filled in, 301 when permanent', async () => {
    const res = await dispatch(request(router, 'GET', '/old/3/'));
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/posts/3/');
  });

  it('passes the query string through when asked, 302 by default', async () => {
    const res = await dispatch(request(router, 'GET', '/files/css/a%20b.css?v=2&x=%20'));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/static/css/a%20b.css?v=2&x=%20');
    const plain = await dispatch(request(router, 'GET', '/old/3/?v=2'));
    expect(plain.headers.get('location')).toBe('/posts/3/');
  });

  it('reverses patternName with the same params', async () => {
    const res = await dispatch(request(router, 'GET', '/jump/8/'));
    expect(res.headers.get('location')).toBe('/posts/8/');
    const error = await caught(dispatch(request(router, 'GET', '/latest/?page=2')));
    expect(error).toBeInstanceOf(NoReverseMatch);
    expect((error as Error).message).toContain("missing parameter 'id'");
  });

  it('answers 410 Gone when there is no target', async () => {
    const res = await dispatch(request(router, 'GET', '/gone/'));
    expect(res.status).toBe(410);
  });

  it('redirects every method', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']) {
      const res = await dispatch(request(router, method, '/old/1/'));
      expect(res.status, method).toBe(301);
      expect(res.headers.get('location'), method).toBe('/posts/1/');
    }
  });

  it('names a placeholder the route does not give', async () => {
    const error = await caught(dispatch(request(router, 'GET', '/typo/1/')));
    expect(error).toBeInstanceOf(ImproperlyConfigured);
    expect((error as Error).message).toBe("RedirectView url '/posts/{pk}/' uses {pk}, but the route gives 'id'.");
  });

  it('refuses a parameter that would point to another host', async () => {
    const error = await caught(dispatch(request(router, 'GET', '/hop//evil.example/')));
    expect(error).toBeInstanceOf(SuspiciousOperation);
    const fine = await dispatch(request(router, 'GET', '/hop/docs/page/'));
    expect(fine.headers.get('location')).toBe('/docs/page/');
  });
});

describe('through the application and test client', () => {
  async function client() {
    const app = await createApplication({
      settings: { SECRET_KEY: 's'.repeat(50), ALLOWED_HOSTS: ['testserver'] },
      routes: [
        path('articles/<int:id>/', Article.asView(), { name: 'article' }),
        path('about/', TemplateView.asView({ templateName: 'about.html', extraContext: { title: 'Us' } }), { name: 'about' }),
        path('old/<int:id>/', RedirectView.asView({ patternName: 'article' })),
        path('items/', () => text('list'), { methods: ['GET'] }),
      ],
      templates: new RecordingBackend(),
      env: {},
    });
    return new TestClient(app);
  }

  it('serves class views, HEAD without a body, 405 with Allow, OPTIONS and redirects', async () => {
    const c = await client();
    const get = await c.get('/articles/2/');
    expect(get.status).toBe(200);
    expect((await get.json<{ id: number }>()).id).toBe(2);
    const head = await c.head('/articles/2/');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const put = await c.put('/articles/2/');
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    const options = await c.options('/items/');
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    const post = await c.post('/items/');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(await (await c.get('/about/')).text()).toBe('<p>about.html:Us</p>');
    const moved = await c.get('/old/5/');
    expect(moved.status).toBe(302);
    expect(moved.headers.get('location')).toBe('/articles/5/');
    expect((await c.get('/nowhere/')).status).toBe(404);
  });
});
