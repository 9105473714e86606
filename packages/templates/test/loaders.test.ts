import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TemplateDoesNotExist } from '../src/errors.js';
import { TemplateLoader, templateDirectories } from '../src/loaders.js';
import { backendFor, fakeApp, fakeContext, tempProject, type TempProject } from './project-fixture.js';

let project: TempProject;
afterEach(() => project.cleanup());

describe('template folders', () => {
  it('searches TEMPLATES.DIRS first, then app templates/ in INSTALLED_APPS order', async () => {
    project = tempProject({
      'templates/shared.html': 'project',
      'blog/templates/shared.html': 'blog',
      'blog/templates/only-apps.html': 'blog first',
      'shop/templates/only-apps.html': 'shop second',
      'shop/templates/shop-only.html': 'shop',
    });
    const context = fakeContext({ root: project.root, apps: [fakeApp(project.root, 'blog'), fakeApp(project.root, 'shop')] });
    const backend = await backendFor(context);

    expect(await backend.render('shared.html', {})).toBe('project');
    expect(await backend.render('only-apps.html', {})).toBe('blog first');
    expect(await backend.render('shop-only.html', {})).toBe('shop');
  });

  it('lists folders relative to the project root, apps only with APP_DIRS', () => {
    project = tempProject();
    const apps = [fakeApp(project.root, 'blog')];
    const context = fakeContext({ root: project.root, apps });
    expect(templateDirectories(context, { dirs: ['templates', 'more/templates'], appDirs: true })).toEqual([
      { path: join(project.root, 'templates'), origin: 'project' },
      { path: join(project.root, 'more/templates'), origin: 'project' },
      { path: join(project.root, 'blog/templates'), origin: "app 'blog'" },
    ]);
    expect(templateDirectories(context, { dirs: ['templates'], appDirs: false })).toEqual([{ path: join(project.root, 'templates'), origin: 'project' }]);
  });

  it('does not search app folders when APP_DIRS is false', async () => {
    project = tempProject({ 'blog/templates/post.html': 'blog' });
    const context = fakeContext({ root: project.root, settings: { TEMPLATES: { APP_DIRS: false } }, apps: [fakeApp(project.root, 'blog')] });
    const backend = await backendFor(context);
    expect(backend.exists('post.html')).toBe(false);
    await expect(backend.render('post.html', {})).rejects.toMatchObject({ tried: [join(project.root, 'templates/post.html')] });
  });
});

describe('TemplateDoesNotExist', () => {
  it('lists every path tried, for every name, in search order', async () => {
    project = tempProject();
    const context = fakeContext({ root: project.root, apps: [fakeApp(project.root, 'blog')] });
    const backend = await backendFor(context);
    const failure = backend.render(['blog/detail.html', 'detail.html'], {});
    await expect(failure).rejects.toBeInstanceOf(TemplateDoesNotExist);
    const error = (await failure.catch((e: unknown) => e)) as TemplateDoesNotExist;
    const tried = [
      join(project.root, 'templates/blog/detail.html'),
      join(project.root, 'blog/templates/blog/detail.html'),
      join(project.root, 'templates/detail.html'),
      join(project.root, 'blog/templates/detail.html'),
    ];
    expect(error.code).toBe('E_TEMPLATE_DOES_NOT_EXIST');
    expect(error.names).toEqual(['blog/detail.html', 'detail.html']);
    expect(error.tried).toEqual(tried);
    for (const path of tried) expect(error.message).toContain(path);
    expect(error.message).toContain("Template 'blog/detail.html', 'detail.html' does not exist");
  });

  it('renders the first name of a list that exists', async () => {
    project = tempProject({ 'templates/fallback.html': 'fallback' });
    const backend = await backendFor(fakeContext({ root: project.root }));
    expect(await backend.render(['missing.html', 'fallback.html'], {})).toBe('fallback');
  });

  it('refuses names that could leave the template folders', () => {
    project = tempProject({ 'secret.txt': 'top secret', 'templates/ok.html': 'ok' });
    const loader = new TemplateLoader([{ path: join(project.root, 'templates'), origin: 'project' }]);
    for (const name of ['../secret.txt', 'a/../../secret.txt', join(project.root, 'secret.txt'), '/etc/passwd', 'a\0b', '', './ok.html']) {
      expect(() => loader.locate(name), name).toThrow(TemplateDoesNotExist);
    }
    expect(loader.locate('ok.html')?.path).toBe(join(project.root, 'templates/ok.html'));
  });

  it('treats a folder with the template name as missing', () => {
    project = tempProject({ 'templates/dir/inner.html': 'x' });
    const loader = new TemplateLoader([{ path: join(project.root, 'templates'), origin: 'project' }]);
    const tried: string[] = [];
    expect(loader.locate('dir', tried)).toBeNull();
    expect(tried).toEqual([join(project.root, 'templates/dir')]);
  });
});
