import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TemplateRenderError } from '../src/errors.js';
import { backendFor, fakeContext, tempProject, type TempProject } from './project-fixture.js';

let project: TempProject;
beforeEach(() => {
  project = tempProject();
});
afterEach(() => project.cleanup());

describe('url()', () => {
  it('reverses a route through the AppContext, with an object or keyword arguments', async () => {
    const backend = await backendFor(fakeContext({ root: project.root }));
    expect(await backend.renderString("{{ url('home') }}", {})).toBe('/reversed/home/');
    expect(await backend.renderString("{{ url('blog:detail', { id: post.id }) }}", { post: { id: 3 } })).toBe('/reversed/blog:detail/?id=3');
    expect(await backend.renderString("{{ url('blog:detail', id=3, slug='a') }}", {})).toBe('/reversed/blog:detail/?id=3&amp;slug=a');
  });

  it('escapes the URL in HTML', async () => {
    const backend = await backendFor(fakeContext({ root: project.root }));
    expect(await backend.renderString('<a href="{{ url(\'x\', { q: q }) }}">', { q: '"><script>' })).toBe('<a href="/reversed/x/?q=&quot;&gt;&lt;script&gt;">');
  });

  it('explains a parameter that is not an object', async () => {
    const backend = await backendFor(fakeContext({ root: project.root }));
    const error = await backend.renderString("{{ url('x', 3) }}", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateRenderError);
    expect((error as Error).message).toContain("url() takes the route name and an object of parameters");
  });
});

describe('static()', () => {
  it('joins STATIC_URL and the path, percent-encoding segments', async () => {
    const backend = await backendFor(fakeContext({ root: project.root, settings: { STATIC_URL: '/assets/' } }));
    expect(await backend.renderString("{{ static('css/site.css') }}", {})).toBe('/assets/css/site.css');
    expect(await backend.renderString("{{ static('/img/my logo.png') }}", {})).toBe('/assets/img/my%20logo.png');
  });

  it('works with a CDN STATIC_URL', async () => {
    const backend = await backendFor(fakeContext({ root: project.root, settings: { STATIC_URL: 'https://cdn.example.com/s/' } }));
    expect(await backend.renderString("<script src=\"{{ static('js/app.js') }}\">", {})).toBe('<script src="https://cdn.example.com/s/js/app.js">');
  });

  it('uses the hashed name from the collectstatic manifest when DEBUG is off', async () => {
    const staticRoot = join(project.root, 'collected');
    mkdirSync(staticRoot, { recursive: true });
    writeFileSync(join(staticRoot, 'staticfiles.json'), JSON.stringify({ version: 1, paths: { 'css/site.css': 'css/site.0123456789ab.css' } }));
    const backend = await backendFor(fakeContext({ root: project.root, settings: { STATIC_ROOT: 'collected' } }));
    const out = await backend.renderString("{{ static('css/site.css') }}", {});
    expect(out).toBe('/static/css/site.0123456789ab.css');
  });
});
