import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../src/app/context.js';
import { defineApp } from '../src/apps/app-config.js';
import { AppRegistry } from '../src/apps/app-registry.js';
import { Http404, ImproperlyConfigured } from '../src/errors.js';
import { HttpRequest } from '../src/http/request.js';
import { FileBody, text, type HttpResponse } from '../src/http/response.js';
import { validateSettings } from '../src/settings/validate-settings.js';
import type { SettingsInput } from '../src/settings/schema.js';
import { StaticFinder, normaliseStaticPath, resolveInside } from '../src/staticfiles/finders.js';
import { staticMiddleware } from '../src/staticfiles/static-middleware.js';
import { collectStatic, hashedFileName, type CollectStaticLogger } from '../src/staticfiles/collect-static.js';
import { MANIFEST_NAME, forgetManifest, loadManifest } from '../src/staticfiles/manifest.js';
import { staticUrl } from '../src/staticfiles/static-url.js';
import { createApplication } from '../src/app/create-application.js';
import { path } from '../src/routing/path.js';
import { TestClient } from '../src/testing/test-client.js';

const SECRET_KEY = 'k'.repeat(40);
const LOGO = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const SITE_CSS = [
  '@import "base.css";',
  'body { background: url(../img/logo.png); }',
  ".a { background: url('../img/logo.png?v=1#frag'); }",
  '.b { background: url("data:image/png;base64,AAAA"); }',
  '.c { background: url(http://cdn.example/x.png); }',
  '.d { background: url(//cdn.example/x.png); }',
  '.e { fill: url(#gradient); }',
  '.f { background: url( /static/img/logo.png ); }',
  '.g { background: url(missing.png); }',
  '',
].join('\n');
const BASE_CSS = 'h1 { background: URL("../img/logo.png"); }\n';
const SECRET = 'top secret, outside every static root';

let tmp: string;
let project: string;
let blog: ReturnType<typeof defineApp>;

async function put(path: string, content: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'atrium-static-'));
  project = join(tmp, 'project');
  const blogPath = join(project, 'apps', 'blog');
  blog = defineApp({ label: 'blog', path: blogPath });

  await put(join(tmp, 'secret.txt'), SECRET);
  await put(join(project, 'static', 'css', 'site.css'), SITE_CSS);
  await put(join(project, 'static', 'css', 'base.css'), BASE_CSS);
  await put(join(project, 'static', 'img', 'logo.png'), LOGO);
  await put(join(project, 'static', 'lib', 'tool.js'), 'export const tool = 1;\n');
  await put(join(project, 'static', '.env'), 'SECRET=1');
  await put(join(project, 'static', 'notes.txt~'), 'editor backup');
  // A folder link inside the root is fine; links that leave the root are not.
  await symlink(join(project, 'static', 'lib'), join(project, 'static', 'vendor'));
  await symlink(join(tmp, 'secret.txt'), join(project, 'static', 'link-out.txt'));
  await symlink(tmp, join(project, 'static', 'dir-out'));

  await put(join(blogPath, 'static', 'css', 'site.css'), 'app version, overridden by the project');
  await put(join(blogPath, 'static', 'blog', 'app.js'), 'console.log("blog");\n');
});

afterAll(async () => {
  forgetManifest();
  await rm(tmp, { recursive: true, force: true });
});

function settings(input: Partial<SettingsInput> = {}) {
  return validateSettings({ SECRET_KEY, ALLOWED_HOSTS: ['testserver'], ...input }, { env: {} });
}

/** The parts of AppContext the static files code reads. */
function context(input: Partial<SettingsInput> = {}): AppContext {
  return { settings: settings(input), root: project, apps: new AppRegistry([blog]) } as Partial<AppContext> as AppContext;
}

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): HttpRequest {
  return new HttpRequest({ method, url, headers, body: null });
}

const next = async (): Promise<HttpResponse> => text('from next');

/** Read a FileBody the way the server adapter streams it. */
async function bytesOf(response: HttpResponse): Promise<Buffer> {
  const body = response.body;
  if (typeof body === 'string') return Buffer.from(body);
  if (!(body instanceof FileBody)) throw new Error(`expected a FileBody, got ${String(body)}`);
  if (body.length <= 0) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(body.path, { start: body.start, end: body.end })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const md5 = (content: string | Buffer): string => createHash('md5').update(content).digest('hex').slice(0, 12);

const TRAVERSALS = [
  '/static/../../secret.txt',
  '/static/css/../../../secret.txt',
  '/static/%2e%2e/%2e%2e/secret.txt',
  '/static/%2E%2E/%2E%2E/secret.txt',
  '/static/..%2f..%2fsecret.txt',
  '/static/css/..%2F..%2F..%2Fsecret.txt',
  '/static/..%5c..%5csecret.txt',
  '/static/..\\..\\secret.txt',
  '/static/css/site.css%00.png',
  '/static/%00',
  '/static/%252e%252e/%252e%252e/secret.txt',
  '/static/%c0%ae%c0%ae/secret.txt',
  '/static/%',
  '/static//etc/passwd',
  '/static/%2fetc%2fpasswd',
  '/static/C:/Windows/win.ini',
  '/static/link-out.txt',
  '/static/dir-out/secret.txt',
  '/static/.env',
  '/static/css/',
  '/static/',
];

describe('normaliseStaticPath', () => {
  it('accepts plain relative paths and refuses unsafe ones', () => {
    expect(normaliseStaticPath('css/site.css')).toBe('css/site.css');
    expect(normaliseStaticPath('fonts/Inter Var.woff2')).toBe('fonts/Inter Var.woff2');
    for (const bad of ['', '..', '../x', 'a/../b', './a', 'a/./b', '/etc/passwd', 'a\\b', 'a\0b', 'a//b', 'a/', '.git/config', 'c:/x', '%2e%2e/x', 'a%2fb', 'x%00']) {
      expect(normaliseStaticPath(bad), JSON.stringify(bad)).toBeNull();
    }
  });
});

describe('StaticFinder', () => {
  const finder = () => new StaticFinder({ root: project, settings: settings(), apps: new AppRegistry([blog]) });

  it('searches STATICFILES_DIRS before app static folders: the project overrides an app', async () => {
    expect(finder().roots()).toEqual([join(project, 'static'), join(project, 'apps', 'blog', 'static')]);
    expect(await readFile((await finder().find('css/site.css'))!, 'utf8')).toBe(SITE_CSS);
    expect(await finder().find('blog/app.js')).toBe(join(project, 'apps', 'blog', 'static', 'blog', 'app.js'));
    expect(await finder().find('nope.css')).toBeNull();
  });

  it('accepts a plain list of apps', async () => {
    const list = new StaticFinder({ root: project, settings: settings({ STATICFILES_DIRS: [] }), apps: [blog] });
    expect(await readFile((await list.find('css/site.css'))!, 'utf8')).toBe('app version, overridden by the project');
  });

  it('never resolves a path outside its roots, symlinks included', async () => {
    for (const path of ['../secret.txt', 'link-out.txt', 'dir-out/secret.txt', '.env', 'css/../../secret.txt']) {
      expect(await finder().find(path), path).toBeNull();
    }
    expect(await resolveInside(join(project, 'static'), 'link-out.txt')).toBeNull();
    // A link that stays inside the root is followed.
    expect(await finder().find('vendor/tool.js')).toBe(join(project, 'static', 'lib', 'tool.js'));
  });

  it('lists every file once, first match wins, skipping hidden files, backups and links out', async () => {
    const all = await finder().listAll();
    expect(all.map((f) => f.relativePath)).toEqual(['blog/app.js', 'css/base.css', 'css/site.css', 'img/logo.png', 'lib/tool.js', 'vendor/tool.js']);
    const site = all.find((f) => f.relativePath === 'css/site.css')!;
    expect(site.sourceRoot).toBe(join(project, 'static'));
    expect(await readFile(site.absolutePath, 'utf8')).toBe(SITE_CSS);
  });
});

describe('staticMiddleware in DEBUG', () => {
  const middleware = () => staticMiddleware(context({ DEBUG: true }));

  it('serves files through the finders with a type and no-cache', async () => {
    const res = await middleware()(get('/static/css/site.css'), next);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect((await bytesOf(res)).toString()).toBe(SITE_CSS);
    const app = await middleware()(get('/static/blog/app.js', {}, 'HEAD'), next);
    expect(app.headers.get('content-length')).toBe(String('console.log("blog");\n'.length));
    const logo = await middleware()(get('/static/img/logo.png?v=3'), next);
    expect(await bytesOf(logo)).toEqual(LOGO);
  });

  it('supports conditional GET and ranges on static files', async () => {
    const first = await middleware()(get('/static/img/logo.png'), next);
    const again = await middleware()(get('/static/img/logo.png', { 'if-none-match': first.headers.get('etag')! }), next);
    expect(again.status).toBe(304);
    const part = await middleware()(get('/static/img/logo.png', { range: 'bytes=0-3' }), next);
    expect(part.status).toBe(206);
    expect(await bytesOf(part)).toEqual(LOGO.subarray(0, 4));
  });

  it('decodes percent-escapes once', async () => {
    await put(join(project, 'static', 'fonts', 'Inter Var.woff2'), 'font');
    const res = await middleware()(get('/static/fonts/Inter%20Var.woff2'), next);
    expect(res.headers.get('content-type')).toBe('font/woff2');
    expect((await bytesOf(res)).toString()).toBe('font');
  });

  it('calls next for other paths and methods', async () => {
    expect((await middleware()(get('/blog/'), next)).textBody).toBe('from next');
    expect((await middleware()(get('/staticfoo/x.css'), next)).textBody).toBe('from next');
    expect((await middleware()(get('/static/css/site.css', {}, 'POST'), next)).textBody).toBe('from next');
  });

  it('answers 404 for a missing file', async () => {
    await expect(middleware()(get('/static/css/missing.css'), next)).rejects.toMatchObject({ status: 404, code: 'E_NOT_FOUND' });
  });

  it('answers 404 for every traversal attempt and never reads outside', async () => {
    for (const url of TRAVERSALS) {
      const outcome = await middleware()(get(url), next).then(
        async (res) => `served ${res.status}: ${(await bytesOf(res)).toString()}`,
        (error: unknown) => error,
      );
      expect(outcome, url).toBeInstanceOf(Http404);
    }
  });

  it('does nothing for an absolute (CDN) STATIC_URL', async () => {
    const cdn = staticMiddleware(context({ DEBUG: true, STATIC_URL: 'https://cdn.example/static/' }));
    expect((await cdn(get('/static/css/site.css'), next)).textBody).toBe('from next');
  });

  it('does nothing without DEBUG when STATIC_ROOT is not set', async () => {
    const off = staticMiddleware(context({ DEBUG: false }));
    expect((await off(get('/static/css/site.css'), next)).textBody).toBe('from next');
  });
});

describe('collectStatic', () => {
  const collected = () => join(project, 'collected');
  const messages: string[] = [];
  const logger: CollectStaticLogger = { info: (m) => messages.push(`info: ${m}`), warn: (m) => messages.push(`warn: ${m}`) };
  const run = (clear = false) => collectStatic({ root: project, settings: settings({ STATIC_ROOT: 'collected' }), apps: new AppRegistry([blog]), clear, logger });

  beforeAll(async () => {
    await rm(collected(), { recursive: true, force: true });
    await rm(join(project, 'static', 'fonts'), { recursive: true, force: true });
  });

  it('copies every file, writes hashed copies and the manifest', async () => {
    const result = await run(true);
    expect(result).toMatchObject({ staticRoot: collected(), manifestPath: join(collected(), MANIFEST_NAME), found: 6, copied: 6, unmodified: 0, hashed: 6 });
    expect(await readFile(join(collected(), 'img', 'logo.png'))).toEqual(LOGO);
    expect(await readFile(join(collected(), 'css', 'site.css'), 'utf8')).toBe(SITE_CSS);
    expect(await readFile(join(collected(), 'css', 'site.css'), 'utf8')).not.toContain('app version');
    expect(await readFile(join(collected(), 'blog', 'app.js'), 'utf8')).toBe('console.log("blog");\n');

    const logoHashed = `img/logo.${md5(LOGO)}.png`;
    expect(await readFile(join(collected(), logoHashed))).toEqual(LOGO);

    const manifest = JSON.parse(await readFile(result.manifestPath, 'utf8')) as { version: number; paths: Record<string, string> };
    expect(manifest.version).toBe(1);
    expect(Object.keys(manifest.paths).sort()).toEqual(['blog/app.js', 'css/base.css', 'css/site.css', 'img/logo.png', 'lib/tool.js', 'vendor/tool.js']);
    expect(manifest.paths['img/logo.png']).toBe(logoHashed);
    expect(manifest.paths['blog/app.js']).toBe(`blog/app.${md5('console.log("blog");\n')}.js`);
    for (const hashed of Object.values(manifest.paths)) expect(hashed).toMatch(/\.[0-9a-f]{12}(\.[a-z]+)?$/);
  });

  it('rewrites url() and @import references in CSS to hashed names', async () => {
    const manifest = loadManifest(collected())!;
    const logo = `logo.${md5(LOGO)}.png`;
    const baseHashed = manifest.hashedName('css/base.css')!;
    const base = await readFile(join(collected(), baseHashed), 'utf8');
    expect(base).toBe(`h1 { background: URL("../img/${logo}"); }\n`);
    expect(baseHashed).toBe(`css/base.${md5(base)}.css`);

    const siteHashed = manifest.hashedName('css/site.css')!;
    const site = await readFile(join(collected(), siteHashed), 'utf8');
    expect(siteHashed).toBe(`css/site.${md5(site)}.css`);
    expect(site).toContain(`@import "${baseHashed.slice('css/'.length)}";`);
    expect(site).toContain(`body { background: url(../img/${logo}); }`);
    expect(site).toContain(`.a { background: url('../img/${logo}?v=1#frag'); }`);
    expect(site).toContain(`.f { background: url( /static/img/${logo} ); }`);
    // Left alone: data:, other hosts, fragments and files nobody has.
    expect(site).toContain('url("data:image/png;base64,AAAA")');
    expect(site).toContain('url(http://cdn.example/x.png)');
    expect(site).toContain('url(//cdn.example/x.png)');
    expect(site).toContain('url(#gradient)');
    expect(site).toContain('url(missing.png)');
    expect(messages.some((m) => m.startsWith('warn: css/site.css') && m.includes("'missing.png'"))).toBe(true);
  });

  it('staticUrl gives hashed names without DEBUG and plain names with it', () => {
    const manifest = loadManifest(collected())!;
    const production = context({ STATIC_ROOT: 'collected' });
    expect(staticUrl(production, 'css/site.css')).toBe(`/static/${manifest.hashedName('css/site.css')}`);
    expect(staticUrl(production, '/img/logo.png')).toBe(`/static/img/logo.${md5(LOGO)}.png`);
    expect(staticUrl(production, 'img/logo.png#top')).toBe(`/static/img/logo.${md5(LOGO)}.png#top`);
    expect(staticUrl(production, 'not/collected file.js')).toBe('/static/not/collected%20file.js');
    expect(staticUrl(context({ DEBUG: true, STATIC_ROOT: 'collected' }), 'css/site.css')).toBe('/static/css/site.css');
    expect(staticUrl(context({ STATIC_URL: 'https://cdn.example/s/', STATIC_ROOT: 'collected' }), 'img/logo.png')).toBe(`https://cdn.example/s/img/logo.${md5(LOGO)}.png`);
    expect(staticUrl(context(), 'img/logo.png')).toBe('/static/img/logo.png');
  });

  it('serves STATIC_ROOT without DEBUG: hashed names cached for a year, plain names briefly', async () => {
    const middleware = staticMiddleware(context({ STATIC_ROOT: 'collected' }));
    const hashedUrl = staticUrl(context({ STATIC_ROOT: 'collected' }), 'css/site.css');
    const hashed = await middleware(get(hashedUrl), next);
    expect(hashed.status).toBe(200);
    expect(hashed.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await bytesOf(hashed)).toString()).toContain(`logo.${md5(LOGO)}.png`);
    const plain = await middleware(get('/static/img/logo.png'), next);
    expect(plain.headers.get('cache-control')).toBe('public, max-age=60');
    expect(await bytesOf(plain)).toEqual(LOGO);
    // Files only in the source folders are not served from STATIC_ROOT.
    await put(join(project, 'static', 'late.css'), 'late');
    await expect(middleware(get('/static/late.css'), next)).rejects.toBeInstanceOf(Http404);
    await rm(join(project, 'static', 'late.css'));
  });

  it('serves nothing outside STATIC_ROOT, including through a symlink placed inside it', async () => {
    await symlink(join(tmp, 'secret.txt'), join(collected(), 'planted.txt'));
    const middleware = staticMiddleware(context({ STATIC_ROOT: 'collected' }));
    for (const url of [...TRAVERSALS, '/static/planted.txt', '/static/staticfiles.json/../../secret.txt']) {
      const outcome = await middleware(get(url), next).then(
        async (res) => `served ${res.status}: ${(await bytesOf(res)).toString()}`,
        (error: unknown) => error,
      );
      expect(outcome, url).toBeInstanceOf(Http404);
    }
    await rm(join(collected(), 'planted.txt'));
  });

  it('skips unchanged files on a second run, and clear removes stale files', async () => {
    const again = await run();
    expect(again).toMatchObject({ found: 6, copied: 0, unmodified: 6, hashed: 0 });
    await put(join(collected(), 'stale', 'old.js'), 'old');
    const cleared = await run(true);
    expect(cleared).toMatchObject({ copied: 6, hashed: 6 });
    expect(await readdir(collected())).not.toContain('stale');
  });

  it('finishes on stylesheets that import each other, with a warning', async () => {
    const cyclic = join(tmp, 'cyclic');
    await put(join(cyclic, 'static', 'a.css'), '@import "b.css";');
    await put(join(cyclic, 'static', 'b.css'), '@import "a.css";');
    const warnings: string[] = [];
    const result = await collectStatic({
      root: cyclic,
      settings: settings({ STATIC_ROOT: 'out' }),
      apps: [],
      logger: { info() {}, warn: (m) => warnings.push(m) },
    });
    expect(result).toMatchObject({ found: 2, hashed: 2 });
    const manifest = loadManifest(join(cyclic, 'out'))!;
    const a = await readFile(join(cyclic, 'out', manifest.hashedName('a.css')!), 'utf8');
    const b = await readFile(join(cyclic, 'out', manifest.hashedName('b.css')!), 'utf8');
    expect(a).toBe(`@import "${manifest.hashedName('b.css')}";`);
    expect(b).toBe('@import "a.css";');
    expect(warnings).toEqual([expect.stringContaining("'a.css' is part of a CSS reference cycle")]);
  });

  it('names STATIC_ROOT when it is not set or overlaps a source folder', async () => {
    const apps = new AppRegistry([blog]);
    await expect(collectStatic({ root: project, settings: settings(), apps })).rejects.toThrow(ImproperlyConfigured);
    await expect(collectStatic({ root: project, settings: settings(), apps })).rejects.toThrow(/STATIC_ROOT is not set/);
    await expect(collectStatic({ root: project, settings: settings({ STATIC_ROOT: 'static' }), apps })).rejects.toThrow(/overlaps the static source folder/);
    await expect(collectStatic({ root: project, settings: settings({ STATIC_ROOT: 'static/out' }), apps })).rejects.toThrow(/overlaps/);
    await expect(collectStatic({ root: project, settings: settings({ STATIC_ROOT: '.' }), apps })).rejects.toThrow(/project folder/);
  });
});

describe('static files through an application', () => {
  const home = async () => text('home');
  const app = (input: Partial<SettingsInput>) =>
    createApplication({ settings: { SECRET_KEY, ALLOWED_HOSTS: ['testserver'], MIDDLEWARE: ['security', 'static', 'common'], ...input }, routes: [path('', home)], root: project, apps: [blog], templates: null, env: {} });

  it('serves in DEBUG with security headers, 404s traversal, and leaves other routes alone', async () => {
    const client = new TestClient(await app({ DEBUG: true }));
    const res = await client.get('/static/blog/app.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe('console.log("blog");\n');
    const head = await client.head('/static/blog/app.js');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    for (const url of ['/static/%2e%2e/%2e%2e/secret.txt', '/static/..%2f..%2fsecret.txt', '/static/link-out.txt', '/static/%00']) {
      const bad = await client.get(url);
      expect(bad.status, url).toBe(404);
      expect(await bad.text()).not.toContain(SECRET);
    }
    expect(await (await client.get('/')).text()).toBe('home');
  });

  it('serves collected files from STATIC_ROOT without DEBUG', async () => {
    await collectStatic({ root: project, settings: settings({ STATIC_ROOT: 'collected' }), apps: [blog] });
    const application = await app({ DEBUG: false, STATIC_ROOT: 'collected' });
    const client = new TestClient(application);
    const url = staticUrl(application.context, 'img/logo.png');
    expect(url).toBe(`/static/img/logo.${md5(LOGO)}.png`);
    const res = await client.get(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.bytes()).toEqual(LOGO);
    const part = await client.get(url, { headers: { range: 'bytes=-4' } });
    expect(part.status).toBe(206);
    expect(await part.bytes()).toEqual(LOGO.subarray(-4));
    expect((await client.get('/static/../../secret.txt')).status).toBe(404);
  });
});

describe('manifest', () => {
  it('refuses a malformed manifest, naming the file and the fix', async () => {
    const root = join(tmp, 'bad-manifest');
    await put(join(root, MANIFEST_NAME), JSON.stringify({ version: 2, paths: {} }));
    expect(() => loadManifest(root)).toThrow(/not a version 1 manifest; run `manage collectstatic` again/);
    await put(join(root, MANIFEST_NAME), JSON.stringify({ version: 1, paths: { 'a.css': 3 } }));
    expect(() => loadManifest(root)).toThrow(/maps 'a.css' to a number/);
  });

  it('is null when absent', () => {
    expect(loadManifest(join(tmp, 'no-such-root'))).toBeNull();
  });
});

describe('hashedFileName', () => {
  it('puts the hash before the last extension', () => {
    expect(hashedFileName('css/site.css', 'abc123abc123')).toBe('css/site.abc123abc123.css');
    expect(hashedFileName('js/app.min.js', 'abc123abc123')).toBe('js/app.min.abc123abc123.js');
    expect(hashedFileName('LICENSE', 'abc123abc123')).toBe('LICENSE.abc123abc123');
  });
});
