import { describe, expect, expectTypeOf, it } from 'vitest';
import { Router } from '../src/routing/router.js';
import { path, include } from '../src/routing/path.js';
import { dispatch } from '../src/routing/dispatch.js';
import type { Converter } from '../src/routing/converters.js';
import type { RouteParams } from '../src/routing/types.js';
import { HttpRequest } from '../src/http/request.js';
import { HttpResponse, json, text } from '../src/http/response.js';
import type { AppContext } from '../src/app/context.js';
import { Http404, ImproperlyConfigured, MethodNotAllowed, NoReverseMatch } from '../src/errors.js';

declare module '../src/routing/converters.js' {
  interface ConverterTypes {
    colour: [number, number, number];
  }
}

const ok = (label: string) => () => text(label);

function request(router: Router, method: string, url: string): HttpRequest {
  const req = new HttpRequest({ method, url, headers: {}, body: null });
  req.app = { router, templates: null, reverse: (name: string, params?: Record<string, unknown>) => router.reverse(name, params) } as unknown as AppContext;
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

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an exception');
}

describe('converters', () => {
  const router = new Router([
    path('', ok('home'), { name: 'home' }),
    path('int/<int:n>/', ok('int'), { name: 'int' }),
    path('slug/<slug:s>/', ok('slug'), { name: 'slug' }),
    path('str/<str:s>/', ok('str'), { name: 'str' }),
    path('bare/<s>/', ok('bare'), { name: 'bare' }),
    path('uuid/<uuid:u>/', ok('uuid'), { name: 'uuid' }),
    path('files/<path:p>', ok('path'), { name: 'path' }),
  ]);

  it('matches the root pattern', () => {
    expect(router.resolve('/')).toMatchObject({ pattern: '', name: 'home', params: {} });
    expect(router.resolve('')).toBeNull();
  });

  it('int gives a non-negative number and refuses anything else', () => {
    expect(router.resolve('/int/42/')?.params).toEqual({ n: 42 });
    expect(router.resolve('/int/007/')?.params).toEqual({ n: 7 });
    expect(router.resolve('/int/-1/')).toBeNull();
    expect(router.resolve('/int/1.5/')).toBeNull();
    expect(router.resolve('/int/abc/')).toBeNull();
    expect(router.resolve('/int//')).toBeNull();
    // Beyond 2^53 a number would lose precision: no match rather than a wrong id.
    expect(router.resolve('/int/99999999999999999999/')).toBeNull();
  });

  it('slug takes letters, digits, - and _ only', () => {
    expect(router.resolve('/slug/hello-world_2/')?.params).toEqual({ s: 'hello-world_2' });
    expect(router.resolve('/slug/héllo/')).toBeNull();
    expect(router.resolve('/slug/a.b/')).toBeNull();
  });

  it('str (and a bare parameter) takes any non-empty segment without /', () => {
    expect(router.resolve('/str/héllo wörld.txt/')?.params).toEqual({ s: 'héllo wörld.txt' });
    expect(router.resolve('/bare/x:y@z/')?.params).toEqual({ s: 'x:y@z' });
    expect(router.resolve('/str/a/b/')).toBeNull();
    expect(router.resolve('/str//')).toBeNull();
  });

  it('uuid takes lower-case canonical UUIDs as Django does', () => {
    const u = '123e4567-e89b-12d3-a456-426614174000';
    expect(router.resolve(`/uuid/${u}/`)?.params).toEqual({ u });
    expect(router.resolve(`/uuid/${u.toUpperCase()}/`)).toBeNull();
    expect(router.resolve('/uuid/123e4567e89b12d3a456426614174000/')).toBeNull();
  });

  it('path takes the rest, slashes included', () => {
    expect(router.resolve('/files/a/b/c.txt')?.params).toEqual({ p: 'a/b/c.txt' });
    expect(router.resolve('/files/a/b/')?.params).toEqual({ p: 'a/b/' });
    expect(router.resolve('/files/x')?.params).toEqual({ p: 'x' });
    expect(router.resolve('/files/')).toBeNull();
  });

  it('does not match a path without its trailing slash (CommonMiddleware redirects)', () => {
    expect(router.resolve('/int/42')).toBeNull();
    expect(router.resolve('/int/42' + '/')?.name).toBe('int');
  });
});

describe('patterns', () => {
  it('matches a path converter followed by more pattern, greedily like Django', () => {
    const router = new Router([
      path('repo/<path:file>/edit/', ok('edit'), { name: 'edit' }),
      path('repo/<path:file>/', ok('view'), { name: 'view' }),
    ]);
    expect(router.resolve('/repo/src/a.ts/edit/')).toMatchObject({ name: 'edit', params: { file: 'src/a.ts' } });
    expect(router.resolve('/repo/src/edit/x/')).toMatchObject({ name: 'view', params: { file: 'src/edit/x' } });
    expect(router.resolve('/repo/a/edit/edit/')).toMatchObject({ name: 'edit', params: { file: 'a/edit' } });
    expect(router.reverse('edit', { file: 'src/a b.ts' })).toBe('/repo/src/a%20b.ts/edit/');
  });

  it('matches several converters and text in one segment', () => {
    const router = new Router([path('archive/<int:year>-<int:month>/', ok('a'), { name: 'month' }), path('page-<int:n>.html', ok('p'), { name: 'page' })]);
    expect(router.resolve('/archive/2024-05/')?.params).toEqual({ year: 2024, month: 5 });
    expect(router.resolve('/archive/2024-xx/')).toBeNull();
    expect(router.resolve('/page-3.html')?.params).toEqual({ n: 3 });
    expect(router.resolve('/page-3xhtml')).toBeNull();
    expect(router.reverse('month', { year: 2024, month: 5 })).toBe('/archive/2024-5/');
    expect(router.reverse('page', { n: 3 })).toBe('/page-3.html');
  });

  it('keeps Django order: the first declared pattern that matches wins', () => {
    const router = new Router([
      path('<slug:section>/', ok('section'), { name: 'section' }),
      path('about/', ok('about'), { name: 'about' }),
      path('posts/<int:id>/', ok('post'), { name: 'post' }),
      path('posts/<str:key>/', ok('post-by-key'), { name: 'post-key' }),
      path('posts/latest/', ok('latest'), { name: 'latest' }),
    ]);
    // Django would never reach 'about/': the earlier slug route matches it first.
    expect(router.resolve('/about/')?.name).toBe('section');
    expect(router.resolve('/posts/3/')?.name).toBe('post');
    expect(router.resolve('/posts/latest/')?.name).toBe('post-key');
    expect(router.resolve('/posts/x y/')?.name).toBe('post-key');
  });

  it('prefers a static segment when it was declared first', () => {
    const router = new Router([path('posts/new/', ok('new'), { name: 'new' }), path('posts/<slug:s>/', ok('slug'), { name: 'slug' })]);
    expect(router.resolve('/posts/new/')?.name).toBe('new');
    expect(router.resolve('/posts/old/')).toMatchObject({ name: 'slug', params: { s: 'old' } });
  });

  it('backtracks from a static branch that fails further down', () => {
    const router = new Router([path('a/<int:n>/', ok('int'), { name: 'int' }), path('<slug:s>/x/', ok('slug'), { name: 'slug' })]);
    expect(router.resolve('/a/x/')).toMatchObject({ name: 'slug', params: { s: 'a' } });
    expect(router.resolve('/a/1/')).toMatchObject({ name: 'int', params: { n: 1 } });
  });

  it('returns a frozen shared result for static routes', () => {
    const router = new Router([path('about/', ok('about'), { name: 'about' })]);
    const first = router.resolve('/about/');
    expect(first).toBe(router.resolve('/about/'));
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first?.params)).toBe(true);
  });

  it('refuses malformed patterns at construction', () => {
    const cases: Array<[string, RegExp]> = [
      ['/posts/', /starts with '\/'.*'posts\/'/],
      ['posts/<int:id/', /unbalanced/],
      ['posts/<int:2id>/', /invalid parameter '<int:2id>'/],
      ['posts/< id>/', /invalid parameter/],
      ['posts/<year:y>/', /unknown converter 'year'.*known converters: int, str, slug, uuid, path/],
      ['posts/<int:id>/<slug:id>/', /parameter name 'id' twice/],
      ['files/<path:p>.txt', /must fill whole segments/],
      ['x/<__proto__>/', /__proto__/],
    ];
    for (const [pattern, message] of cases) {
      const error = thrown(() => new Router([path(pattern, ok('x'))]));
      expect(error, pattern).toBeInstanceOf(ImproperlyConfigured);
      expect((error as ImproperlyConfigured).code).toBe('E_IMPROPERLY_CONFIGURED');
      expect((error as Error).message, pattern).toMatch(message);
    }
  });

  it('refuses route lists with something other than path() or include()', () => {
    function home() {
      return text('home');
    }
    const error = thrown(() => new Router([home as never]));
    expect(error).toBeInstanceOf(ImproperlyConfigured);
    expect((error as Error).message).toBe('The route list contains the function home; every entry must be path(pattern, view) or include(prefix, routes).');
    expect(() => new Router([include('api/', [null as never])])).toThrow("The route list under 'api/' contains null");
  });

  it('refuses two patterns that match exactly the same paths', () => {
    const error = thrown(() => new Router([path('p/<int:id>/', ok('a'), { methods: ['GET'] }), path('p/<int:pk>/', ok('b'), { methods: ['DELETE'] })]));
    expect(error).toBeInstanceOf(ImproperlyConfigured);
    expect((error as Error).message).toContain("'p/<int:id>/' and 'p/<int:pk>/' match exactly the same paths");
  });

  it('lists patterns in order with names for the 404 page', () => {
    const router = new Router([path('', ok('h'), { name: 'home' }), include('blog/', [path('<int:id>/', ok('d'), { name: 'detail' })], { namespace: 'blog' }), path('raw/', ok('r'))]);
    expect(router.patterns()).toEqual(["[name='home']", "blog/<int:id>/ [name='blog:detail']", 'raw/']);
  });
});

describe('reverse', () => {
  const router = new Router([
    path('', ok('home'), { name: 'home' }),
    path('posts/<int:id>/<slug:slug>/', ok('post'), { name: 'post' }),
    path('tags/<str:tag>/', ok('tag'), { name: 'tag' }),
    path('files/<path:p>', ok('file'), { name: 'file' }),
    path('u/<uuid:id>/', ok('uuid'), { name: 'uuid' }),
    include('blog/', [path('<int:id>/', ok('detail'), { name: 'detail' }), path('archive/', ok('archive'), { name: 'archive' })], { namespace: 'blog' }),
  ]);

  it('builds URLs that start with / and resolve back to the same route and params', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['home', {}],
      ['post', { id: 7, slug: 'hello-world' }],
      ['tag', { tag: 'c++ & "friends" ?#%' }],
      ['tag', { tag: 'naïve café' }],
      ['tag', { tag: '..' }],
      ['file', { p: 'docs/a b/c.txt' }],
      ['file', { p: '/etc/passwd' }],
      ['uuid', { id: '123e4567-e89b-12d3-a456-426614174000' }],
      ['blog:detail', { id: 3 }],
      ['blog:archive', {}],
    ];
    for (const [name, params] of cases) {
      const url = router.reverse(name, params);
      expect(url.startsWith('/'), url).toBe(true);
      expect(url.startsWith('//'), url).toBe(false);
      // The server gives the router the decoded path, as request.path does.
      const decoded = request(router, 'GET', url).path;
      const match = router.resolve(decoded);
      expect(match?.name, url).toBe(name);
      expect(match?.params, url).toEqual(params);
    }
  });

  it('percent-encodes values, keeping / only for the path converter', () => {
    expect(router.reverse('tag', { tag: 'a?c#d e%' })).toBe('/tags/a%3Fc%23d%20e%25/');
    // str values cannot hold '/', so the URL could never resolve back: refused rather than encoded.
    expect(() => router.reverse('tag', { tag: 'a/b' })).toThrow(NoReverseMatch);
    expect(router.reverse('tag', { tag: "sub:delims@!$&'()*+,;=" })).toBe("/tags/sub:delims@!$&'()*+,;=/");
    expect(router.reverse('file', { p: 'a b/c' })).toBe('/files/a%20b/c');
    expect(router.reverse('file', { p: '/evil.example' })).toBe('/files//evil.example');
    expect(router.reverse('tag', { tag: '..' })).toBe('/tags/%2E%2E/');
  });

  it('accepts digit strings for int, as Django does', () => {
    expect(router.reverse('blog:detail', { id: '12' })).toBe('/blog/12/');
  });

  it('names the unknown route and suggests similar names', () => {
    const error = thrown(() => router.reverse('blog:detial', { id: 1 }));
    expect(error).toBeInstanceOf(NoReverseMatch);
    expect((error as NoReverseMatch).code).toBe('E_NO_REVERSE_MATCH');
    expect((error as Error).message).toBe("Reverse for 'blog:detial' not found: no route has this name. Did you mean 'blog:detail'?");
    expect((thrown(() => router.reverse('detail')) as Error).message).toContain("Did you mean 'blog:detail'?");
    const far = (thrown(() => router.reverse('shop:cart')) as Error).message;
    expect(far).toContain("'shop' is not a registered namespace");
    expect(far).toContain("Known names: 'home', 'post'");
  });

  it('names the missing parameter', () => {
    const error = thrown(() => router.reverse('post', { id: 1 }));
    expect(error).toBeInstanceOf(NoReverseMatch);
    expect((error as Error).message).toBe("Reverse for 'post' (pattern 'posts/<int:id>/<slug:slug>/') failed: missing parameter 'slug' (<slug:slug>).");
    expect((thrown(() => router.reverse('blog:detail')) as Error).message).toContain("missing parameter 'id'");
    expect((thrown(() => router.reverse('blog:detail', { id: null })) as Error).message).toContain("missing parameter 'id'");
  });

  it('names the invalid parameter', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['blog:detail', { id: 'abc' }, "invalid value 'abc' for parameter 'id': it does not match the 'int' converter"],
      ['blog:detail', { id: -1 }, "invalid value -1 for parameter 'id'"],
      ['blog:detail', { id: 1.5 }, "invalid value 1.5 for parameter 'id'"],
      ['post', { id: 1, slug: 'not a slug' }, "invalid value 'not a slug' for parameter 'slug'"],
      ['uuid', { id: 'nope' }, "invalid value 'nope' for parameter 'id'"],
      ['tag', { tag: '' }, "invalid value '' for parameter 'tag'"],
      ['tag', { tag: '\ud800' }, 'not well-formed Unicode'],
    ];
    for (const [name, params, message] of cases) {
      const error = thrown(() => router.reverse(name, params));
      expect(error).toBeInstanceOf(NoReverseMatch);
      expect((error as Error).message).toContain(message);
    }
  });

  it('refuses parameters the route does not take', () => {
    expect((thrown(() => router.reverse('home', { id: 1 })) as Error).message).toContain("unexpected parameter 'id' (it takes no parameters)");
    expect((thrown(() => router.reverse('blog:detail', { id: 1, page: 2 })) as Error).message).toContain("unexpected parameter 'page' (it takes id)");
    expect(router.reverse('home', { id: undefined })).toBe('/');
  });
});

describe('include and namespaces', () => {
  const router = new Router([
    include('api/', [
      include('v1/', [path('users/<int:id>/', ok('v1 user'), { name: 'user' })], { namespace: 'v1' }),
      include('v2/', [path('users/<int:id>/', ok('v2 user'), { name: 'user' })], { namespace: 'v2' }),
      include('plain/', [path('x/', ok('x'), { name: 'x' })]),
    ], { namespace: 'api' }),
    include('orgs/<slug:org>/', [path('members/<int:id>/', ok('member'), { name: 'member' })], { namespace: 'orgs' }),
  ]);

  it('joins nested namespaces and prefixes', () => {
    expect(router.reverse('api:v1:user', { id: 1 })).toBe('/api/v1/users/1/');
    expect(router.reverse('api:v2:user', { id: 2 })).toBe('/api/v2/users/2/');
    expect(router.reverse('api:x')).toBe('/api/plain/x/');
    expect(router.resolve('/api/v2/users/9/')).toMatchObject({ name: 'api:v2:user', pattern: 'api/v2/users/<int:id>/', params: { id: 9 } });
  });

  it('passes prefix parameters to the view', () => {
    expect(router.resolve('/orgs/acme/members/5/')?.params).toEqual({ org: 'acme', id: 5 });
    expect(router.reverse('orgs:member', { org: 'acme', id: 5 })).toBe('/orgs/acme/members/5/');
  });

  it('allows the same name in different namespaces but not twice in one', () => {
    const error = thrown(
      () => new Router([include('a/', [path('one/', ok('1'), { name: 'dup' }), path('two/', ok('2'), { name: 'dup' })], { namespace: 'ns' })]),
    );
    expect(error).toBeInstanceOf(ImproperlyConfigured);
    expect((error as Error).message).toBe(
      "Route name 'ns:dup' is used twice: by 'a/one/' and by 'a/two/'. Names must be unique within a namespace; rename one of them.",
    );
  });

  it('refuses names and namespaces containing :', () => {
    expect(() => path('x/', ok('x'), { name: 'a:b' })).toThrow(/contains ':'/);
    expect(() => include('x/', [], { namespace: 'a:b' })).toThrow(ImproperlyConfigured);
  });
});

describe('methods', () => {
  const listPosts = () => text('list');
  const createPost = () => text('create', { status: 201 });
  const router = new Router([
    path('posts/', listPosts, { name: 'posts', methods: ['GET'] }),
    path('posts/', createPost, { methods: ['post'] }),
    path('anything/', ok('any'), { name: 'anything' }),
    path('upload/', ok('upload'), { methods: ['PUT'] }),
  ]);

  it('merges entries of one pattern into one route with a view per method', () => {
    const match = router.resolve('/posts/');
    expect(match?.name).toBe('posts');
    expect(Object.keys(match?.handlers ?? {}).sort()).toEqual(['GET', 'POST']);
    expect(match?.allowed).toEqual(['GET', 'HEAD', 'POST', 'OPTIONS']);
    expect(router.resolve('/upload/')?.allowed).toEqual(['PUT', 'OPTIONS']);
    expect(router.resolve('/anything/')?.allowed).toEqual(['*']);
  });

  it('refuses two views for the same method and two names for one pattern', () => {
    const twice = thrown(() => new Router([path('x/', ok('a'), { methods: ['GET'] }), path('x/', ok('b'), { methods: ['GET', 'POST'] })]));
    expect((twice as Error).message).toMatch(/Pattern 'x\/' has two views for GET/);
    const names = thrown(() => new Router([path('x/', ok('a'), { name: 'one', methods: ['GET'] }), path('x/', ok('b'), { name: 'two', methods: ['POST'] })]));
    expect((names as Error).message).toContain("declared with two names, 'one' and 'two'");
  });

  it('lists every entry for manage routes', () => {
    expect(router.list()).toEqual([
      { pattern: 'posts/', name: 'posts', view: 'listPosts', methods: ['GET'] },
      { pattern: 'posts/', name: 'posts', view: 'createPost', methods: ['POST'] },
      { pattern: 'anything/', name: 'anything', view: '(anonymous)', methods: ['*'] },
      { pattern: 'upload/', name: null, view: '(anonymous)', methods: ['PUT'] },
    ]);
  });
});

describe('dispatch', () => {
  const seen: Array<{ method: string; params: unknown; routeName: string | null }> = [];
  const record = (label: string) => (req: HttpRequest, params: Record<string, unknown>) => {
    seen.push({ method: req.method, params, routeName: req.routeName });
    return json({ label, params });
  };
  const router = new Router([
    path('posts/<int:id>/', record('get'), { name: 'post', methods: ['GET'] }),
    path('posts/<int:id>/', record('delete'), { methods: ['DELETE'] }),
    path('any/', record('any'), { name: 'any' }),
    path('post-only/', record('post'), { methods: ['POST'] }),
    path('custom-options/', record('options'), { methods: ['OPTIONS', 'GET'] }),
  ]);

  it('calls the view with converted params and sets request.params and routeName', async () => {
    const req = request(router, 'GET', '/posts/12/?x=1');
    const res = await dispatch(req);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.textBody!)).toEqual({ label: 'get', params: { id: 12 } });
    expect(req.params).toEqual({ id: 12 });
    expect(req.routeName).toBe('post');
    expect(seen.at(-1)).toEqual({ method: 'GET', params: { id: 12 }, routeName: 'post' });
  });

  it('routes HEAD to the GET view without dropping the body itself', async () => {
    const res = await dispatch(request(router, 'HEAD', '/posts/3/'));
    expect(seen.at(-1)?.method).toBe('HEAD');
    expect(JSON.parse(res.textBody!)).toEqual({ label: 'get', params: { id: 3 } });
  });

  it('chooses the view by method', async () => {
    const res = await dispatch(request(router, 'DELETE', '/posts/3/'));
    expect(JSON.parse(res.textBody!).label).toBe('delete');
  });

  it('throws 405 with Allow for a method without a view', async () => {
    const error = await caught(dispatch(request(router, 'PUT', '/posts/3/')));
    expect(error).toBeInstanceOf(MethodNotAllowed);
    expect((error as MethodNotAllowed).status).toBe(405);
    expect((error as MethodNotAllowed).headers).toEqual({ allow: 'GET, HEAD, DELETE, OPTIONS' });
    const head = await caught(dispatch(request(router, 'HEAD', '/post-only/')));
    expect((head as MethodNotAllowed).allowed).toEqual(['POST', 'OPTIONS']);
  });

  it('answers OPTIONS with 204 and Allow unless a view handles it', async () => {
    const res = await dispatch(request(router, 'OPTIONS', '/posts/3/'));
    expect(res.status).toBe(204);
    expect(res.headers.get('allow')).toBe('GET, HEAD, DELETE, OPTIONS');
    expect(res.body).toBeNull();
    const custom = await dispatch(request(router, 'OPTIONS', '/custom-options/'));
    expect(JSON.parse(custom.textBody!).label).toBe('options');
  });

  it('finds no view for methods named like Object.prototype members (the method table inherits nothing)', async () => {
    const table = new Router([path('t/', ok('get'), { methods: ['GET'] })]);
    for (const method of ['CONSTRUCTOR', 'TOSTRING', '__PROTO__', 'HASOWNPROPERTY']) {
      const error = await caught(dispatch(request(table, method, '/t/')));
      expect(error).toBeInstanceOf(MethodNotAllowed);
    }
    const handlers = table.resolve('/t/')!.handlers;
    expect(handlers['constructor']).toBeUndefined();
    expect('toString' in handlers).toBe(false);
    expect(Object.isFrozen(handlers)).toBe(true);
  });

  it('gives every method to a view declared without methods', async () => {
    for (const method of ['GET', 'POST', 'PATCH', 'OPTIONS', 'PROPFIND']) {
      const res = await dispatch(request(router, method, '/any/'));
      expect(JSON.parse(res.textBody!).label).toBe('any');
    }
  });

  it('throws Http404 listing the patterns tried', async () => {
    const error = await caught(dispatch(request(router, 'GET', '/nope/')));
    expect(error).toBeInstanceOf(Http404);
    expect((error as Http404).status).toBe(404);
    expect((error as Http404).message).toContain("'/nope/'");
    expect((error as Http404).tried).toEqual(router.patterns());
    expect((error as Http404).tried).toContain("posts/<int:id>/ [name='post']");
  });

  it('matches the decoded path', async () => {
    const r = new Router([path('tags/<str:tag>/', (_req, { tag }) => text(tag))]);
    const res = await dispatch(request(r, 'GET', '/tags/caf%C3%A9%20au%20lait/'));
    expect(res.textBody).toBe('café au lait');
  });
});

describe('custom converters', () => {
  const year: Converter<number> = {
    regex: '[0-9]{4}',
    toValue: (raw) => {
      const n = Number(raw);
      return n >= 1900 ? n : undefined;
    },
    toUrl: (value) => String(value).padStart(4, '0'),
  };
  const hex: Converter<number> = {
    match: (s) => /^[0-9a-f]+$/.test(s),
    toValue: (raw) => {
      if (raw.length > 8) throw new Error('too long');
      return parseInt(raw, 16);
    },
    toUrl: (value) => value.toString(16),
  };
  const router = new Router(
    [
      path('archive/<year:y>/', ok('year'), { name: 'year' }),
      path('archive/<year:y>-<int:m>/', ok('month'), { name: 'month' }),
      path('color/<hex:h>/', ok('hex'), { name: 'hex' }),
      path('color/<str:name>/', ok('named'), { name: 'named' }),
    ],
    { converters: { year, hex } },
  );

  it('match with regex or matcher, and toValue can reject', () => {
    expect(router.resolve('/archive/2024/')).toMatchObject({ name: 'year', params: { y: 2024 } });
    expect(router.resolve('/archive/1850/')).toBeNull();
    expect(router.resolve('/archive/2024-3/')).toMatchObject({ name: 'month', params: { y: 2024, m: 3 } });
    expect(router.resolve('/color/ff/')).toMatchObject({ name: 'hex', params: { h: 255 } });
    // toValue throwing means no match, so the next pattern gets its chance.
    expect(router.resolve('/color/fffffffff/')).toMatchObject({ name: 'named', params: { name: 'fffffffff' } });
  });

  it('reverse through toUrl and check against the converter', () => {
    expect(router.reverse('hex', { h: 255 })).toBe('/color/ff/');
    expect(router.reverse('year', { y: 2024 })).toBe('/archive/2024/');
    expect((thrown(() => router.reverse('year', { y: 12345 })) as Error).message).toContain("does not match the 'year' converter");
  });

  it('are checked at construction', () => {
    expect(() => new Router([], { converters: { int: year } })).toThrow(/built in and cannot be replaced/);
    expect(() => new Router([], { converters: { 'bad-name': year } })).toThrow(/not an identifier/);
    expect(() => new Router([], { converters: { nothing: { toValue: String, toUrl: String } } })).toThrow(/needs a regex/);
    expect(() => new Router([], { converters: { flags: { regex: /x/i, toValue: String, toUrl: String } } })).toThrow(/flags 'i'/);
    expect(() => new Router([path('c/<hex:a>-<hex:b>/', ok('x'))], { converters: { hex } })).toThrow(/needs the converter's regex/);
  });
});

describe('types', () => {
  it('infers params from the pattern', () => {
    expectTypeOf<RouteParams<'posts/<int:id>/<slug:slug>/'>>().toEqualTypeOf<{ id: number; slug: string }>();
    expectTypeOf<RouteParams<'u/<uuid:u>/<path:rest>'>>().toEqualTypeOf<{ u: string; rest: string }>();
    expectTypeOf<RouteParams<'tags/<tag>/'>>().toEqualTypeOf<{ tag: string }>();
    expectTypeOf<RouteParams<'about/'>>().toEqualTypeOf<{}>();
    expectTypeOf<RouteParams<'x/<year:y>/'>>().toEqualTypeOf<{ y: unknown }>();
    // Custom converters declared in ConverterTypes get their value type.
    expectTypeOf<RouteParams<'c/<colour:c>/'>>().toEqualTypeOf<{ c: [number, number, number] }>();
    expectTypeOf<RouteParams<string>>().toEqualTypeOf<Record<string, unknown>>();
  });

  it('types the view params of path()', () => {
    path('posts/<int:id>/<slug:slug>/', (_req, params) => {
      expectTypeOf(params).toEqualTypeOf<{ id: number; slug: string }>();
      return text(`${params.id + 1}${params.slug.toUpperCase()}`);
    });
    // @ts-expect-error id is a number, not a string
    path('posts/<int:id>/', (_req: HttpRequest, params: { id: string }) => text(params.id));
    expectTypeOf(path).returns.toMatchTypeOf<{ kind: 'route' }>();
    const view = (): HttpResponse => text('x');
    expectTypeOf(path('x/', view).view).toBeFunction();
  });
});
