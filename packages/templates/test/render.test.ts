import { ImproperlyConfigured, HttpResponse } from '@atrium/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TemplateDoesNotExist } from '../src/errors.js';
import { render, renderToString } from '../src/render.js';
import { backendFor, fakeContext, fakeRequest, tempProject, type TempProject } from './project-fixture.js';

let project: TempProject;
beforeEach(() => {
  project = tempProject({ 'templates/hello.html': 'Hello {{ name }} at {{ request.path }}' });
});
afterEach(() => project.cleanup());

describe('render()', () => {
  it('returns an HTML response with the rendered template and context processors applied', async () => {
    const context = fakeContext({ root: project.root });
    await backendFor(context);
    const response = await render(fakeRequest(context, {}, '/hi/'), 'hello.html', { name: '<Ann>' });
    expect(response).toBeInstanceOf(HttpResponse);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.body).toBe('Hello &lt;Ann&gt; at /hi/');
  });

  it('takes a list of names and a status and headers', async () => {
    const context = fakeContext({ root: project.root });
    await backendFor(context);
    const response = await render(fakeRequest(context), ['missing.html', 'hello.html'], { name: 'x' }, { status: 404, headers: { 'x-kind': 'page' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-kind')).toBe('page');
    expect(response.body).toBe('Hello x at /page/');
  });

  it('rejects with TemplateDoesNotExist for a missing template', async () => {
    const context = fakeContext({ root: project.root });
    await backendFor(context);
    await expect(render(fakeRequest(context), 'nope.html')).rejects.toBeInstanceOf(TemplateDoesNotExist);
  });

  it('explains when no template backend is loaded', async () => {
    const context = fakeContext({ root: project.root });
    await expect(render(fakeRequest(context), 'hello.html')).rejects.toThrow(ImproperlyConfigured);
    await expect(render(fakeRequest(context), 'hello.html')).rejects.toThrow(/No template backend is loaded: TEMPLATES.BACKEND is '@atrium\/templates'/);
  });
});

describe('renderToString()', () => {
  it('renders with the request context', async () => {
    const context = fakeContext({ root: project.root });
    await backendFor(context);
    expect(await renderToString(fakeRequest(context, {}, '/s/'), 'hello.html', { name: 'Bo' })).toBe('Hello Bo at /s/');
  });
});
