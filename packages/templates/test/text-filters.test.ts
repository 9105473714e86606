import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TemplateBackend } from '@atrium/core';
import { defaultIfNone } from '../src/filters/default-if-none.js';
import { pluralize } from '../src/filters/pluralize.js';
import { slugify } from '../src/filters/slugify.js';
import { striptags } from '../src/filters/striptags.js';
import { truncatechars, truncatewords } from '../src/filters/truncate.js';
import { wordwrap } from '../src/filters/wordwrap.js';
import { yesno } from '../src/filters/yesno.js';
import { isSafe, markSafe } from '../src/safe-html.js';
import { backendFor, fakeContext, LINEAR_TIME_BUDGET_MS, tempProject, timed, type TempProject } from './project-fixture.js';

const MB = 1_000_000;
const text = (value: unknown): string => (isSafe(value) ? value.val : String(value));

describe('pluralize', () => {
  it('picks the suffix by count', () => {
    expect([0, 1, 2].map((n) => pluralize(n))).toEqual(['s', '', 's']);
    expect([1, 2].map((n) => pluralize(n, 'es'))).toEqual(['', 'es']);
    expect([1, 2].map((n) => pluralize(n, 'y,ies'))).toEqual(['y', 'ies']);
    expect(pluralize('1')).toBe('');
    expect(pluralize([1, 2])).toBe('s');
    expect(pluralize([1])).toBe('');
    expect(pluralize(new Set([1]))).toBe('');
  });

  it('gives an empty string for bad arguments or values', () => {
    expect(pluralize(2, 'a,b,c')).toBe('');
    expect(pluralize('many')).toBe('');
    expect(pluralize({})).toBe('');
  });

  it('is fast on a huge argument', () => {
    const { result, ms } = timed(() => pluralize(2, ','.repeat(MB)));
    expect(result).toBe('');
    expect(ms).toBeLessThan(LINEAR_TIME_BUDGET_MS);
  });
});

describe('truncatewords', () => {
  it('keeps the first words and adds an ellipsis', () => {
    expect(truncatewords('Joel is a slug', 2)).toBe('Joel is …');
    expect(truncatewords('  Joel   is\na slug ', 4)).toBe('Joel is a slug');
    expect(truncatewords('Joel is a slug', '3')).toBe('Joel is a …');
    expect(truncatewords('Joel is', 'x')).toBe('Joel is');
    expect(truncatewords('Joel is', 0)).toBe(' …');
  });

  it('keeps safeness', () => {
    expect(isSafe(truncatewords(markSafe('<b>a</b> b c'), 1))).toBe(true);
    expect(isSafe(truncatewords('<b>a</b> b c', 1))).toBe(false);
  });

  it('is bounded on megabyte input', () => {
    const { result, ms } = timed(() => truncatewords('word '.repeat(MB / 5), 3));
    expect(result).toBe('word word word …');
    const long = timed(() => truncatewords('a'.repeat(MB) + ' b', 1));
    expect(long.result).toBe(`${'a'.repeat(MB)} …`);
    expect(Math.max(ms, long.ms)).toBeLessThan(LINEAR_TIME_BUDGET_MS);
  });
});

describe('truncatechars', () => {
  it('cuts to the length, counting the ellipsis', () => {
    expect(truncatechars('Joel is a slug', 7)).toBe('Joel i…');
    expect(truncatechars('Joel', 4)).toBe('Joel');
    expect(truncatechars('Joel', 0)).toBe('');
    expect(truncatechars('Joel', 'x')).toBe('Joel');
  });

  it('counts characters, not UTF-16 units, after NFC', () => {
    expect(truncatechars('😀😀😀', 3)).toBe('😀😀😀');
    expect(truncatechars('😀😀😀😀', 3)).toBe('😀😀…');
    expect(truncatechars('e\u0301e\u0301e\u0301', 3)).toBe('ééé');
  });

  it('is bounded on megabyte input', () => {
    const { result, ms } = timed(() => truncatechars('a'.repeat(MB), 5));
    expect(result).toBe('aaaa…');
    expect(ms).toBeLessThan(LINEAR_TIME_BUDGET_MS);
  });
});

describe('wordwrap', () => {
  it('wraps at spaces, keeps long words whole', () => {
    expect(wordwrap('Joel is a slug', 5)).toBe('Joel\nis a\nslug');
    expect(wordwrap('a verylongword b', 4)).toBe('a\nverylongword\nb');
    expect(wordwrap('line one\n\nline two', 4)).toBe('line\none\n\nline\ntwo');
    expect(wordwrap('x y', 0)).toBe('x y');
  });

  it('is linear on megabyte input', () => {
    const { result, ms } = timed(() => wordwrap('ab '.repeat(300_000), 5));
    expect(result).toBe(Array(150_000).fill('ab ab').join('\n'));
    const unbroken = timed(() => wordwrap('a'.repeat(MB), 10));
    expect(unbroken.result).toBe('a'.repeat(MB));
    expect(Math.max(ms, unbroken.ms)).toBeLessThan(LINEAR_TIME_BUDGET_MS);
  });
});

describe('slugify', () => {
  it("behaves like Django's", () => {
    expect(slugify(' Joel is a slug ')).toBe('joel-is-a-slug');
    expect(slugify('Héllo, Wörld! -- ok_')).toBe('hello-world-ok');
    expect(slugify('__a__')).toBe('a');
    expect(slugify('日本語')).toBe('');
    expect(slugify(null)).toBe('');
  });

  it('is linear on runs of separators (no trailing-strip regex)', () => {
    const { result, ms } = timed(() => slugify(`${'_'.repeat(MB)}a${'_'.repeat(MB)}`));
    expect(result).toBe('a');
    const dashes = timed(() => slugify(`${'- '.repeat(MB / 2)}x`));
    expect(dashes.result).toBe('x');
    expect(Math.max(ms, dashes.ms)).toBeLessThan(LINEAR_TIME_BUDGET_MS);
  });
});

describe('striptags', () => {
  it('removes tags and comments and returns text', () => {
    expect(striptags('<p>Fish &amp; <b class="x">chips</b></p><!-- secret -->!')).toBe('Fish & chips!');
    expect(striptags('a < b and c > d')).toBe('a < b and c > d');
    expect(striptags('x<y')).toBe('x<y');
    expect(striptags('&#60;&#x3C;&lt;&bogus;')).toBe('<<<&bogus;');
  });

  it('never outputs a live tag: its result is escaped by autoescape', async () => {
    const project = tempProject();
    const backend = await backendFor(fakeContext({ root: project.root }));
    const out = await backend.renderString('{{ v | striptags }}|{{ s | striptags }}', { v: '<<b>script>alert(1)<</b>/script>', s: markSafe('<<i>img src=x onerror=alert(1)>') });
    project.cleanup();
    expect(out).toBe('&lt;script&gt;alert(1)&lt;/script&gt;|&lt;img src=x onerror=alert(1)&gt;');
  });

  it('is linear on megabyte pathological input', () => {
    const cases: Array<[string, string]> = [
      ['<'.repeat(MB), '<'.repeat(MB)],
      ['<a'.repeat(MB / 2), '<a'.repeat(MB / 2)],
      ['<!--'.repeat(MB / 4), '<!--'.repeat(MB / 4)],
      ['<b>x</b>'.repeat(MB / 8), 'x'.repeat(MB / 8)],
      ['&amp;'.repeat(MB / 5), '&'.repeat(MB / 5)],
    ];
    for (const [input, expected] of cases) {
      const { result, ms } = timed(() => striptags(input));
      expect(result).toBe(expected);
      expect(ms, input.slice(0, 20)).toBeLessThan(LINEAR_TIME_BUDGET_MS);
    }
  });
});

describe('yesno and default_if_none', () => {
  it('maps values to words', () => {
    expect([true, false, null, undefined].map((v) => yesno(v))).toEqual(['yes', 'no', 'maybe', 'maybe']);
    expect([true, false, null].map((v) => yesno(v, 'on,off'))).toEqual(['on', 'off', 'off']);
    expect([[], {}, '', 0, [0], { a: 1 }, 'x', 2].map((v) => yesno(v, 'y,n'))).toEqual(['n', 'n', 'n', 'n', 'y', 'y', 'y', 'y']);
    expect(yesno(true, 'only')).toBe(true);
  });

  it('default_if_none only replaces null and undefined', () => {
    expect([null, undefined, 0, '', false].map((v) => defaultIfNone(v, 'd'))).toEqual(['d', 'd', 0, '', false]);
  });

  it('yesno is fast on a huge argument', () => {
    const { result, ms } = timed(() => yesno(true, `a,${'b'.repeat(MB)}`));
    expect(result).toBe('a');
    expect(ms).toBeLessThan(LINEAR_TIME_BUDGET_MS);
  });
});

describe('text filters in templates', () => {
  let project: TempProject;
  let backend: TemplateBackend;
  beforeEach(async () => {
    project = tempProject();
    backend = await backendFor(fakeContext({ root: project.root }));
  });
  afterEach(() => project.cleanup());

  it('are registered under their Django names and autoescaped', async () => {
    const out = await backend.renderString(
      "{{ n }} cherr{{ n | pluralize('y,ies') }}|{{ t | truncatewords(2) }}|{{ t | truncatechars(4) }}|{{ t | slugify }}|{{ none | default_if_none('-') }}|{{ flag | yesno('on,off') }}|{{ t | wordwrap(3) }}",
      { n: 2, t: '<b> x y', none: null, flag: false },
    );
    expect(out).toBe('2 cherries|&lt;b&gt; x …|&lt;b&gt;…|b-x-y|-|off|&lt;b&gt;\nx y');
    expect(text(truncatewords('a b', 1))).toBe('a …');
  });
});
