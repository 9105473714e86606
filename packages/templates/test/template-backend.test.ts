import { ImproperlyConfigured, type AppContext, type TemplateBackend } from '@atrium/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TemplateDoesNotExist, TemplateRenderError, TemplateSyntaxError } from '../src/errors.js';
import { createTemplateBackend } from '../src/template-backend.js';
import { backendFor, fakeApp, fakeContext, tempProject, type TempProject } from './project-fixture.js';

let project: TempProject;
let context: AppContext;
let backend: TemplateBackend;

beforeEach(async () => {
  project = tempProject({
    'templates/base.html': '<title>{% block title %}Site{% endblock %}</title>\n<main>{% block content %}{% endblock %}</main>',
    'templates/page.html': '{% extends "base.html" %}\n{% block title %}{{ title }} | {{ super() }}{% endblock %}\n{% block content %}\n{% include "partials/item.html" %}\n{% endblock %}',
    'templates/partials/item.html': '<p>{{ body }}</p>',
    'blog/templates/blog/list.html': '{% extends "base.html" %}{% block content %}{% for post in posts %}[{{ post }}]{% endfor %}{% endblock %}',
  });
  context = fakeContext({ root: project.root, apps: [fakeApp(project.root, 'blog')] });
  backend = await backendFor(context);
});
afterEach(() => project.cleanup());

describe('rendering', () => {
  it('supports extends, blocks, super() and include', async () => {
    const out = await backend.render('page.html', { title: 'Home', body: 'Hello' });
    expect(out).toBe('<title>Home | Site</title>\n<main><p>Hello</p></main>');
  });

  it('lets an app template extend a project template', async () => {
    expect(await backend.render('blog/list.html', { posts: ['a', 'b'] })).toBe('<title>Site</title>\n<main>[a][b]</main>');
  });

  it('autoescapes variables; only the safe filter bypasses it', async () => {
    const evil = '<script>alert("x")</script>';
    expect(await backend.renderString('{{ v }}', { v: evil })).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(await backend.renderString("{{ v }}|{{ '<b>' | safe }}", { v: "'&'" })).toBe('&#39;&amp;&#39;|<b>');
  });

  it('supports macros imported from another template', async () => {
    project.write('templates/forms.html', '{% macro field(name, value) %}<input name="{{ name }}" value="{{ value }}">{% endmacro %}');
    project.write('templates/form.html', '{% from "forms.html" import field %}{% import "forms.html" as f %}{{ field("q", v) }}{{ f.field("r", 1) }}');
    expect(await backend.render('form.html', { v: '"x"' })).toBe('<input name="q" value="&quot;x&quot;"><input name="r" value="1">');
  });

  it('renders undefined variables as empty', async () => {
    expect(await backend.renderString('[{{ nothing }}][{{ nothing.deeper }}]', {})).toBe('[][]');
  });

  it('trims block tags (trimBlocks and lstripBlocks)', async () => {
    expect(await backend.renderString('<ul>\n  {% for i in [1, 2] %}\n  <li>{{ i }}</li>\n  {% endfor %}\n</ul>', {})).toBe('<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>');
  });

  it('reports whether a template exists', () => {
    expect(backend.exists('page.html')).toBe(true);
    expect(backend.exists('blog/list.html')).toBe(true);
    expect(backend.exists('nope.html')).toBe(false);
    expect(backend.exists('../secret.txt')).toBe(false);
  });

  it('answers exists() for a template that does not parse, without compiling it', async () => {
    project.write('templates/404.html', '{% if %}');
    expect(backend.exists('404.html')).toBe(true);
    await expect(backend.render('404.html', {})).rejects.toBeInstanceOf(TemplateSyntaxError);
  });
});

describe('errors', () => {
  it('names the template and line of a syntax error', async () => {
    project.write('templates/broken.html', 'line one\n{% if x %}\n{% endfor %}');
    const error = (await backend.render('broken.html', {}).catch((e: unknown) => e)) as TemplateSyntaxError;
    expect(error).toBeInstanceOf(TemplateSyntaxError);
    expect(error.code).toBe('E_TEMPLATE_SYNTAX');
    expect(error.templateName).toBe('broken.html');
    expect(error.line).toBe(3);
    expect(error.message).toContain("Syntax error in template 'broken.html'");
    expect(error.message).toContain('broken.html, line 3');
    expect(error.message).toContain('unknown block tag: endfor');
  });

  it('names the template of a syntax error found at the end of the file', async () => {
    project.write('templates/unclosed.html', 'a\n{% if x %}\nno endif');
    const error = (await backend.render('unclosed.html', {}).catch((e: unknown) => e)) as TemplateSyntaxError;
    expect(error).toBeInstanceOf(TemplateSyntaxError);
    expect(error.message).toMatch(/Syntax error in template 'unclosed\.html' \(.*unclosed\.html\): parseIf: expected elif, else, or endif, got end of file/);
  });

  it('reports a syntax error in an included template under its own name', async () => {
    project.write('templates/outer.html', 'x{% include "inner.html" %}');
    project.write('templates/inner.html', '\n\n{{ a b }}');
    const error = (await backend.render('outer.html', {}).catch((e: unknown) => e)) as TemplateSyntaxError;
    expect(error).toBeInstanceOf(TemplateSyntaxError);
    expect(error.templateName).toBe('inner.html');
    expect(error.line).toBe(3);
  });

  it('reports a syntax error in renderString source', async () => {
    const error = (await backend.renderString('ok\n{% endblock %}', {}).catch((e: unknown) => e)) as TemplateSyntaxError;
    expect(error).toBeInstanceOf(TemplateSyntaxError);
    expect(error.templateName).toBe('(string)');
    expect(error.line).toBe(2);
  });

  it('raises TemplateDoesNotExist with the tried paths for a missing include', async () => {
    project.write('templates/outer.html', '{% include "missing/part.html" %}');
    const error = (await backend.render('outer.html', {}).catch((e: unknown) => e)) as TemplateDoesNotExist;
    expect(error).toBeInstanceOf(TemplateDoesNotExist);
    expect(error.names).toEqual(['missing/part.html']);
    expect(error.tried).toHaveLength(2);
  });

  it('renders nothing for a missing include marked "ignore missing"', async () => {
    expect(await backend.renderString('a{% include "missing.html" ignore missing %}b', {})).toBe('ab');
  });

  it('wraps an error thrown while rendering in TemplateRenderError naming the template', async () => {
    project.write('templates/boom.html', 'ok\n{{ explode() }}');
    const error = (await backend
      .render('boom.html', {
        explode: () => {
          throw new RangeError('kaboom');
        },
      })
      .catch((e: unknown) => e)) as TemplateRenderError;
    expect(error).toBeInstanceOf(TemplateRenderError);
    expect(error.code).toBe('E_TEMPLATE_RENDER');
    expect(error.message).toContain("template 'boom.html'");
    expect(error.message).toContain('RangeError: kaboom');
    expect(error.message).toMatch(/boom\.html, line 2\)$/);
    expect(error.line).toBe(2);
    expect(error.cause).toBeInstanceOf(RangeError);
  });

  it('lets Atrium errors thrown inside a template through unchanged', async () => {
    const thrown = new ImproperlyConfigured('inner problem');
    const error = await backend
      .renderString('{{ fail() }}', {
        fail: () => {
          throw thrown;
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBe(thrown);
  });
});

describe('start-up checks', () => {
  it('refuses to turn autoescape off', () => {
    const ctx = fakeContext({ root: project.root, settings: { TEMPLATES: { OPTIONS: { autoescape: false } } } });
    expect(() => createTemplateBackend(ctx)).toThrow(ImproperlyConfigured);
    expect(() => createTemplateBackend(ctx)).toThrow(/TEMPLATES\.OPTIONS\.autoescape is false; Atrium always autoescapes/);
  });

  it('accepts autoescape: true', () => {
    const ctx = fakeContext({ root: project.root, settings: { TEMPLATES: { OPTIONS: { autoescape: true, contextProcessors: [] } } } });
    expect(() => createTemplateBackend(ctx)).not.toThrow();
  });

  it('refuses unknown TEMPLATES.OPTIONS keys, naming them', () => {
    const ctx = fakeContext({ root: project.root, settings: { TEMPLATES: { OPTIONS: { context_processors: ['request'] } } } });
    expect(() => createTemplateBackend(ctx)).toThrow(/TEMPLATES\.OPTIONS\.context_processors is not an option/);
  });

  it('takes TIME_ZONE UTC without asking Intl, which would map ICU time zone data into every process (issue #10)', () => {
    const spy = vi.spyOn(Intl, 'DateTimeFormat');
    try {
      expect(() => createTemplateBackend(fakeContext({ root: project.root, settings: { TIME_ZONE: 'UTC' } }))).not.toThrow();
      expect(spy).not.toHaveBeenCalled();
      createTemplateBackend(fakeContext({ root: project.root, settings: { TIME_ZONE: 'Europe/Paris' } }));
      expect(spy).toHaveBeenCalledWith('en-US', { timeZone: 'Europe/Paris' });
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses a TIME_ZONE that is not an IANA zone', () => {
    const ctx = fakeContext({ root: project.root, settings: { TIME_ZONE: 'Mars/Olympus' } });
    expect(() => createTemplateBackend(ctx)).toThrow(/TIME_ZONE is "Mars\/Olympus"/);
  });
});
