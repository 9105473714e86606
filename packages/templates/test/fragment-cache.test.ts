import { afterEach, describe, expect, it } from 'vitest';
import { AppRegistry, type AppContext } from '@atrium/core';
import { caches } from '@atrium/core/cache';
import { fragmentCacheKey } from '../src/index.js';
import { backendFor, fakeContext, tempProject, type TempProject } from './project-fixture.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

function contextWith(settings: Record<string, unknown> = {}): AppContext {
  project = tempProject();
  const context = fakeContext({ root: project.root, settings: { TEMPLATES: { DIRS: [], APP_DIRS: false }, ...settings } });
  (context as { apps: AppRegistry }).apps = new AppRegistry([]);
  return context;
}

describe('{% cache %} fragment tag', () => {
  it('renders the body once per name and vary-on values, and keeps it escaped once', async () => {
    const context = contextWith();
    const backend = await backendFor(context);
    let calls = 0;
    const expensive = (): string => `<b>${++calls}</b>`;
    const source = '{% cache 500 "sidebar" user.id %}[{{ expensive() }}]{% endcache %}';
    expect(await backend.renderString(source, { expensive, user: { id: 1 } })).toBe('[&lt;b&gt;1&lt;/b&gt;]');
    expect(await backend.renderString(source, { expensive, user: { id: 1 } })).toBe('[&lt;b&gt;1&lt;/b&gt;]');
    expect(await backend.renderString(source, { expensive, user: { id: 2 } })).toBe('[&lt;b&gt;2&lt;/b&gt;]');
    expect(calls).toBe(2);
    // Deleting the key refreshes the fragment.
    await caches(context).default.delete(fragmentCacheKey('sidebar', [1]));
    expect(await backend.renderString(source, { expensive, user: { id: 1 } })).toBe('[&lt;b&gt;3&lt;/b&gt;]');
  });

  it('accepts commas, none as timeout, and uses the template_fragments cache when there is one', async () => {
    const context = contextWith({ CACHES: { default: { BACKEND: 'dummy' }, template_fragments: { BACKEND: 'locmem' } } });
    const backend = await backendFor(context);
    let calls = 0;
    const tick = (): number => ++calls;
    const source = '{% cache none, "f", a, b %}{{ tick() }}{% endcache %}';
    expect(await backend.renderString(source, { tick, a: 'x', b: 'y' })).toBe('1');
    expect(await backend.renderString(source, { tick, a: 'x', b: 'y' })).toBe('1');
    expect(await caches(context).get('template_fragments').get(fragmentCacheKey('f', ['x', 'y']))).toBe('1');
  });

  it('renders concurrently requested fragments once', async () => {
    const context = contextWith();
    const backend = await backendFor(context);
    let calls = 0;
    const tick = (): number => ++calls;
    const outputs = await Promise.all(Array.from({ length: 10 }, () => backend.renderString('{% cache 60 "hot" %}{{ tick() }}{% endcache %}', { tick })));
    expect(new Set(outputs)).toEqual(new Set(['1']));
    expect(calls).toBe(1);
  });

  it('renders the body on every request when the cache is down', async () => {
    const context = contextWith({ CACHES: { default: { BACKEND: 'redis', LOCATION: 'redis://127.0.0.1:9/0', OPTIONS: { TIMEOUT_MS: 200 } } } });
    const backend = await backendFor(context);
    let calls = 0;
    const tick = (): number => ++calls;
    const write = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      expect(await backend.renderString('{% cache 60 "x" %}{{ tick() }}{% endcache %}', { tick })).toBe('1');
      expect(await backend.renderString('{% cache 60 "x" %}{{ tick() }}{% endcache %}', { tick })).toBe('2');
    } finally {
      process.stderr.write = write;
      await caches(context).close();
    }
  });

  it('reports a tag without a name or with a bad timeout', async () => {
    const context = contextWith();
    const backend = await backendFor(context);
    await expect(backend.renderString('{% cache 60 %}x{% endcache %}', {})).rejects.toThrow(/takes a timeout and a fragment name/);
    await expect(backend.renderString('{% cache "soon" "n" %}x{% endcache %}', {})).rejects.toThrow(/timeout must be seconds or none/);
  });
});
