import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { backendFor, fakeApp, fakeContext, tempProject, type TempProject } from './project-fixture.js';

let project: TempProject;
afterEach(() => project.cleanup());

const past = new Date(Date.now() - 60_000);
const later = new Date(Date.now() + 60_000);

describe('DEBUG: recompiles changed templates', () => {
  it('renders the new content after the file changes', async () => {
    project = tempProject();
    project.write('templates/page.html', 'version {{ n }}', past);
    const backend = await backendFor(fakeContext({ root: project.root, settings: { DEBUG: true } }));
    expect(await backend.render('page.html', { n: 1 })).toBe('version 1');
    project.write('templates/page.html', 'changed {{ n }}', later);
    expect(await backend.render('page.html', { n: 2 })).toBe('changed 2');
  });

  it('notices a change of size even when the mtime is the same', async () => {
    project = tempProject();
    project.write('templates/page.html', 'one', past);
    const backend = await backendFor(fakeContext({ root: project.root, settings: { DEBUG: true } }));
    expect(await backend.render('page.html', {})).toBe('one');
    project.write('templates/page.html', 'three', past);
    expect(await backend.render('page.html', {})).toBe('three');
  });

  it('recompiles a changed parent template used through extends', async () => {
    project = tempProject();
    project.write('templates/base.html', 'old [{% block body %}{% endblock %}]', past);
    project.write('templates/child.html', '{% extends "base.html" %}{% block body %}child{% endblock %}', past);
    const backend = await backendFor(fakeContext({ root: project.root, settings: { DEBUG: true } }));
    expect(await backend.render('child.html', {})).toBe('old [child]');
    project.write('templates/base.html', 'new <{% block body %}{% endblock %}>', later);
    expect(await backend.render('child.html', {})).toBe('new <child>');
  });

  it('picks up a project override created after the app template was used', async () => {
    project = tempProject({ 'blog/templates/post.html': 'from app' });
    const backend = await backendFor(fakeContext({ root: project.root, settings: { DEBUG: true }, apps: [fakeApp(project.root, 'blog')] }));
    expect(await backend.render('post.html', {})).toBe('from app');
    project.write('templates/post.html', 'from project');
    expect(await backend.render('post.html', {})).toBe('from project');
  });

  it('finds a template created after a miss', async () => {
    project = tempProject();
    const backend = await backendFor(fakeContext({ root: project.root, settings: { DEBUG: true } }));
    expect(backend.exists('late.html')).toBe(false);
    project.write('templates/late.html', 'here');
    expect(await backend.render('late.html', {})).toBe('here');
  });
});

describe('without DEBUG: compiles once', () => {
  it('keeps serving the compiled template after the file changes', async () => {
    project = tempProject();
    project.write('templates/page.html', 'version {{ n }}', past);
    const backend = await backendFor(fakeContext({ root: project.root, settings: { DEBUG: false } }));
    expect(await backend.render('page.html', { n: 1 })).toBe('version 1');
    project.write('templates/page.html', 'changed {{ n }}', later);
    expect(await backend.render('page.html', { n: 2 })).toBe('version 2');
  });

  it('keeps serving a template whose file was deleted', async () => {
    project = tempProject();
    const path = project.write('templates/page.html', 'cached');
    const backend = await backendFor(fakeContext({ root: project.root }));
    expect(await backend.render('page.html', {})).toBe('cached');
    rmSync(path);
    expect(await backend.render('page.html', {})).toBe('cached');
    expect(backend.exists('page.html')).toBe(true);
  });

  it('remembers misses, as Django\'s cached loader does', async () => {
    project = tempProject();
    const backend = await backendFor(fakeContext({ root: project.root }));
    expect(backend.exists('late.html')).toBe(false);
    project.write('templates/late.html', 'here');
    expect(backend.exists('late.html')).toBe(false);
  });
});
