import { describe, expect, it } from 'vitest';
import { Router } from '../src/routing/router.js';
import { include, path, type RouteEntry } from '../src/routing/path.js';
import { text } from '../src/http/response.js';

/** One route of the generated table, with a sample of parameters and the URL they give. */
interface Sample {
  name: string;
  pattern: string;
  params: Record<string, unknown>;
  url: string;
}

const view = () => text('ok');

function uuidFor(i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `0000abcd-12ef-4a00-8b00-${hex}`;
}

/**
 * 10 namespaced includes of 100 routes each: static, int, slug sharing the
 * int route's prefix, str, uuid, path, compound, a nested include, a deep
 * static route and a two-parameter route.
 */
function buildTable(): { routes: RouteEntry[]; samples: Sample[] } {
  const routes: RouteEntry[] = [];
  const samples: Sample[] = [];
  for (let a = 0; a < 10; a++) {
    const inner: RouteEntry[] = [];
    const ns = `app${a}`;
    const add = (pattern: string, name: string, params: Record<string, unknown>, url: string) => {
      inner.push(path(pattern, view, { name }));
      samples.push({ name: `${ns}:${name}`, pattern: `${ns}/${pattern}`, params, url: `/${ns}/${url}` });
    };
    for (let j = 0; j < 100; j++) {
      const i = a * 100 + j;
      switch (j % 10) {
        case 0:
          add(`s${j}/`, `static${j}`, {}, `s${j}/`);
          break;
        case 1:
          add(`n${j}/<int:id>/`, `int${j}`, { id: i }, `n${j}/${i}/`);
          break;
        case 2:
          // Same prefix as the int route above: digits go there, slugs come here.
          add(`n${j - 1}/<slug:slug>/`, `slug${j}`, { slug: `slug-${i}` }, `n${j - 1}/slug-${i}/`);
          break;
        case 3:
          add(`t${j}/<str:title>/edit/`, `str${j}`, { title: `Title ${i} ü` }, `t${j}/Title%20${i}%20%C3%BC/edit/`);
          break;
        case 4:
          add(`u${j}/<uuid:u>/`, `uuid${j}`, { u: uuidFor(i) }, `u${j}/${uuidFor(i)}/`);
          break;
        case 5:
          add(`f${j}/<path:rest>`, `path${j}`, { rest: `dir/${i}/file.txt` }, `f${j}/dir/${i}/file.txt`);
          break;
        case 6:
          add(`d${j}/<int:year>-<int:month>/`, `compound${j}`, { year: 2000 + j, month: (i % 12) + 1 }, `d${j}/${2000 + j}-${(i % 12) + 1}/`);
          break;
        case 7:
          inner.push(include(`nest${j}/`, [path('<int:id>/', view, { name: 'leaf' })], { namespace: `n${j}` }));
          samples.push({ name: `${ns}:n${j}:leaf`, pattern: `${ns}/nest${j}/<int:id>/`, params: { id: i }, url: `/${ns}/nest${j}/${i}/` });
          break;
        case 8:
          add(`s${j}/deep/page/`, `deep${j}`, {}, `s${j}/deep/page/`);
          break;
        case 9:
          add(`m${j}/<slug:a>/<int:b>/`, `pair${j}`, { a: `x${i}`, b: i }, `m${j}/x${i}/${i}/`);
          break;
      }
    }
    routes.push(include(`${ns}/`, inner, { namespace: ns }));
  }
  return { routes, samples };
}

describe('a 1,000-route table', () => {
  const { routes, samples } = buildTable();
  const router = new Router(routes);

  it('has 1,000 routes', () => {
    expect(samples).toHaveLength(1000);
    expect(router.list()).toHaveLength(1000);
    expect(router.patterns()).toHaveLength(1000);
    expect(new Set(samples.map((s) => s.name)).size).toBe(1000);
  });

  it('resolves every route to itself with its parameters', () => {
    for (const sample of samples) {
      const decoded = decodeURIComponent(sample.url);
      const match = router.resolve(decoded);
      expect(match, sample.url).not.toBeNull();
      expect(match!.name, sample.url).toBe(sample.name);
      expect(match!.pattern, sample.url).toBe(sample.pattern);
      expect(match!.params, sample.url).toEqual(sample.params);
    }
  });

  it('reverses every route to its URL, and the URL resolves back', () => {
    for (const sample of samples) {
      const url = router.reverse(sample.name, sample.params);
      expect(url, sample.name).toBe(sample.url);
      const match = router.resolve(decodeURIComponent(url));
      expect(match?.name, url).toBe(sample.name);
      expect(match?.params, url).toEqual(sample.params);
    }
  });

  it('serves static routes from the static table (one shared result)', () => {
    for (const sample of samples.filter((s) => Object.keys(s.params).length === 0)) {
      expect(router.resolve(sample.url), sample.url).toBe(router.resolve(sample.url));
    }
  });

  it('finds nothing for near misses', () => {
    const misses = ['/app0/s0', '/app0/s1/', '/app9/n91/a.b/', '/app3/t33/x/', '/app3/t33/x/edit', '/app4/u44/not-a-uuid/', '/app5/f45/', '/app6/d46/2000/', '/app10/s0/', '/', '/app7/nest47/x/'];
    for (const miss of misses) expect(router.resolve(miss), miss).toBeNull();
  });
});
