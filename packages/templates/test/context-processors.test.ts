import { ImproperlyConfigured } from '@atrium/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContextProcessorError } from '../src/errors.js';
import { createTemplateBackend } from '../src/template-backend.js';
import { backendFor, fakeApp, fakeContext, fakeRequest, SECRET, tempProject, type TempProject } from './project-fixture.js';

let project: TempProject;
beforeEach(() => {
  project = tempProject();
});
afterEach(() => project.cleanup());

function contextWith(contextProcessors: string[], settings: Record<string, unknown> = {}, apps = [fakeApp(project.root, 'blog')]) {
  return fakeContext({ root: project.root, settings: { TEMPLATES: { OPTIONS: { contextProcessors } }, ...settings }, apps });
}

describe("'request'", () => {
  it('adds the request', async () => {
    const context = contextWith(['request']);
    const backend = await backendFor(context);
    expect(await backend.renderString('{{ request.method }} {{ request.path }}', {}, fakeRequest(context, {}, '/a/<b>/'))).toBe('GET /a/&lt;b&gt;/');
  });

  it('is on by default, with settings', async () => {
    const context = fakeContext({ root: project.root });
    const backend = await backendFor(context);
    expect(await backend.renderString('{{ request.path }}|{{ settings.STATIC_URL }}', {}, fakeRequest(context))).toBe('/page/|/static/');
  });
});

describe("'settings'", () => {
  it('exposes DEBUG, STATIC_URL and TEMPLATE_VISIBLE_SETTINGS, never the secret key', async () => {
    const context = contextWith(['settings'], { DEBUG: true, SITE_NAME: 'Atrium <Site>', TEMPLATE_VISIBLE_SETTINGS: ['SITE_NAME'] });
    const backend = await backendFor(context);
    const request = fakeRequest(context);
    expect(await backend.renderString('{{ settings.DEBUG }} {{ settings.STATIC_URL }} {{ settings.SITE_NAME }}', {}, request)).toBe('true /static/ Atrium &lt;Site&gt;');
    const everything = await backend.renderString('{% for key, value in settings %}{{ key }}={{ value }};{% endfor %}{{ settings.SECRET_KEY }}{{ settings.SECRET_KEY_FALLBACKS }}{{ settings.DATABASES }}', {}, request);
    expect(everything).toBe('DEBUG=true;STATIC_URL=/static/;SITE_NAME=Atrium &lt;Site&gt;;');
    expect(everything).not.toContain(SECRET);
  });

  it.each(['SECRET_KEY', 'SECRET_KEY_FALLBACKS', 'DATABASES', 'STRIPE_API_KEY', 'EMAIL_HOST_PASSWORD', 'GITHUB_TOKEN', 'OAUTH_CLIENT'])(
    'refuses to expose %s at start-up',
    (name) => {
      const context = contextWith(['settings'], { TEMPLATE_VISIBLE_SETTINGS: [name] });
      expect(() => createTemplateBackend(context)).toThrow(ImproperlyConfigured);
      expect(() => createTemplateBackend(context)).toThrow(new RegExp(`TEMPLATE_VISIBLE_SETTINGS lists '${name}', which looks like a secret`));
    },
  );

  it('refuses a TEMPLATE_VISIBLE_SETTINGS that is not a list of names', () => {
    // The settings schema refuses it at start-up, naming the key and the expected type.
    expect(() => contextWith(['settings'], { TEMPLATE_VISIBLE_SETTINGS: 'SITE_NAME' })).toThrow(/TEMPLATE_VISIBLE_SETTINGS is "SITE_NAME": .*expected array/);
  });
});

describe("'csrf'", () => {
  it('adds csrf_token and an escaped hidden input from request.state.csrfToken', async () => {
    const context = contextWith(['csrf']);
    const backend = await backendFor(context);
    const out = await backend.renderString('{{ csrf_token }}|{{ csrf_input }}', {}, fakeRequest(context, { csrfToken: 'abc"<x' }));
    expect(out).toBe('abc&quot;&lt;x|<input type="hidden" name="csrfmiddlewaretoken" value="abc&quot;&lt;x">');
  });

  it('adds empty values when no token was set', async () => {
    const context = contextWith(['csrf']);
    const backend = await backendFor(context);
    expect(await backend.renderString('[{{ csrf_token }}][{{ csrf_input }}]', {}, fakeRequest(context))).toBe('[][]');
  });
});

describe("'messages'", () => {
  it('adds request.state.messages, or an empty list', async () => {
    const context = contextWith(['messages']);
    const backend = await backendFor(context);
    const template = '{% for m in messages %}<{{ m.level }}:{{ m.text }}>{% else %}none{% endfor %}';
    expect(await backend.renderString(template, {}, fakeRequest(context, { messages: [{ level: 'info', text: 'Saved <ok>' }] }))).toBe('<info:Saved &lt;ok&gt;>');
    expect(await backend.renderString(template, {}, fakeRequest(context))).toBe('none');
  });
});

describe('processors from apps', () => {
  it('runs processors offered by installed apps, sync or async, in configured order', async () => {
    const apps = [
      fakeApp(project.root, 'blog', { contextProcessors: { blog: () => ({ section: 'blog', shared: 'blog' }) } }),
      fakeApp(project.root, 'shop', { contextProcessors: { cart: async () => ({ cart: 3, shared: 'cart' }), blog: () => ({ section: 'shadowed' }) } }),
    ];
    const context = contextWith(['blog', 'cart'], {}, apps);
    const backend = await backendFor(context);
    expect(await backend.renderString('{{ section }} {{ cart }} {{ shared }}', {}, fakeRequest(context))).toBe('blog 3 cart');
  });

  it('lets the view context win over processors', async () => {
    const context = contextWith(['request']);
    const backend = await backendFor(context);
    expect(await backend.renderString('{{ request }}', { request: 'mine' }, fakeRequest(context))).toBe('mine');
  });

  it('runs no processors when rendering without a request', async () => {
    const context = contextWith(['request', 'settings']);
    const backend = await backendFor(context);
    expect(await backend.renderString('[{{ request }}][{{ settings }}]', {})).toBe('[][]');
  });

  it('fails at start-up on an unknown processor name, naming it', () => {
    const context = contextWith(['request', 'sesion']);
    expect(() => createTemplateBackend(context)).toThrow(ImproperlyConfigured);
    expect(() => createTemplateBackend(context)).toThrow(/contextProcessors lists 'sesion', which is neither built in nor offered by an installed app.*Known: request, settings, csrf, messages/);
  });

  it('fails at start-up when an app offers something that is not a function', () => {
    const apps = [fakeApp(project.root, 'blog', { contextProcessors: { blog: 'nope' } })];
    expect(() => createTemplateBackend(contextWith(['blog'], {}, apps))).toThrow(/App 'blog' offers context processor 'blog' that is not a function/);
  });

  it('rejects a processor that returns something other than an object', async () => {
    const apps = [fakeApp(project.root, 'blog', { contextProcessors: { bad: () => ['x'] } })];
    const context = contextWith(['bad'], {}, apps);
    const backend = await backendFor(context);
    const error = await backend.renderString('x', {}, fakeRequest(context)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContextProcessorError);
    expect((error as ContextProcessorError).message).toContain("Context processor 'bad' returned an array");
  });

  it('drops __proto__ keys from processor output', async () => {
    const apps = [fakeApp(project.root, 'blog', { contextProcessors: { sneaky: () => JSON.parse('{"__proto__": {"polluted": "yes"}, "ok": 1}') as Record<string, unknown> } })];
    const context = contextWith(['sneaky'], {}, apps);
    const backend = await backendFor(context);
    expect(await backend.renderString('{{ ok }}[{{ polluted }}]', {}, fakeRequest(context))).toBe('1[]');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("'csp'", () => {
  it("adds csp_nonce from request.state.cspNonce, or '' without the csp middleware", async () => {
    const context = contextWith(['csp']);
    const backend = await backendFor(context);
    const request = fakeRequest(context);
    expect(await backend.renderString('<script nonce="{{ csp_nonce }}">', {}, request)).toBe('<script nonce="">');
    (request.state as { cspNonce?: string }).cspNonce = 'abc+/=';
    expect(await backend.renderString('<script nonce="{{ csp_nonce }}">', {}, request)).toBe('<script nonce="abc+/=">');
  });
});
