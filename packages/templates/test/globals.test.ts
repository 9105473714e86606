import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { staticUrl } from '../src/globals.js';
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
});

describe('static()', () => {
  it('joins STATIC_URL and the path', async () => {
    const backend = await backendFor(fakeContext({ root: project.root, settings: { STATIC_URL: '/assets/' } }));
    expect(await backend.renderString("{{ static('css/site.css') }}", {})).toBe('/assets/css/site.css');
    expect(await backend.renderString("{{ static('/img/my logo.png') }}", {})).toBe('/assets/img/my%20logo.png');
  });

  it('works with a CDN STATIC_URL', () => {
    expect(staticUrl('https://cdn.example.com/s/', 'js/app.js')).toBe('https://cdn.example.com/s/js/app.js');
  });

  it('percent-encodes each segment, keeping slashes', () => {
    expect(staticUrl('/static/', 'a b/c?d#e/%')).toBe('/static/a%20b/c%3Fd%23e/%25');
    expect(staticUrl('/static/', 'x\ud800y')).toBe('/static/x%EF%BF%BDy');
  });
});
