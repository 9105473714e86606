import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createApplication, defineApp, path, type Application, type HttpRequest } from '@atrium/core';
import { TestClient } from '@atrium/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { render } from '../src/render.js';
import { SECRET, tempProject, type TempProject } from './project-fixture.js';

// End to end: core loads this package by TEMPLATES.BACKEND (its built dist,
// found through the project's node_modules) and views render through it.
let project: TempProject;
let app: Application;

async function post(request: HttpRequest, params: { id: number }) {
  return render(request, 'blog/post.html', { title: `<Post ${params.id}>`, id: params.id });
}

beforeEach(async () => {
  project = tempProject({
    'templates/base.html': '<link href="{{ static(\'css/site.css\') }}">{% block body %}{% endblock %}',
    'templates/blog/post.html': '{% extends "base.html" %}{% block body %}<h1>{{ title }}</h1><a href="{{ url(\'post\', { id: id + 1 }) }}">next</a> {{ request.path }}{% endblock %}',
    'blog/templates/blog/post.html': 'the app version, overridden by the project',
    'blog/templates/404.html': 'Nothing at {{ request_path }} ({{ status }})',
  });
  symlinkSync(join(import.meta.dirname, '../../../node_modules'), join(project.root, 'node_modules'), 'dir');
  app = await createApplication({
    root: project.root,
    settings: { SECRET_KEY: SECRET, ALLOWED_HOSTS: ['testserver'], TEMPLATES: { BACKEND: '@atrium/templates' } },
    apps: [defineApp({ label: 'blog', path: join(project.root, 'blog') })],
    routes: [path('posts/<int:id>/', post, { name: 'post' }), path('broken/', (request) => render(request, 'missing.html'))],
    env: {},
  });
});
afterEach(async () => {
  await app.close();
  project.cleanup();
});

describe('with createApplication', () => {
  it('loads the backend named by TEMPLATES.BACKEND and renders views through it', async () => {
    expect(app.context.templates).not.toBeNull();
    const response = await new TestClient(app).get('/posts/3/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toBe('<link href="/static/css/site.css"><h1>&lt;Post 3&gt;</h1><a href="/posts/4/">next</a> /posts/3/');
  });

  it("renders the project's 404.html (here an app's) for unknown URLs", async () => {
    const response = await new TestClient(app).get('/nope/<x>/');
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('Nothing at /nope/&lt;x&gt;/ (404)');
  });

  it('answers 500 without details when a view renders a missing template', async () => {
    const response = await new TestClient(app).get('/broken/');
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).toContain('Server Error');
    expect(body).not.toContain('missing.html');
  });
});
