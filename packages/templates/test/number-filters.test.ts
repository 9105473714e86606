import { afterEach, describe, expect, it } from 'vitest';
import { filesizeformat } from '../src/filters/filesizeformat.js';
import { intcomma } from '../src/filters/intcomma.js';
import { markSafe } from '../src/safe-html.js';
import { backendFor, fakeContext, LINEAR_TIME_BUDGET_MS, tempProject, timed, type TempProject } from './project-fixture.js';

const NBSP = '\u00a0';

describe('intcomma', () => {
  it('groups digits in threes', () => {
    expect([0, 100, 1000, 45000, 4500000.25, -1234567, 10n ** 12n].map(intcomma)).toEqual(['0', '100', '1,000', '45,000', '4,500,000.25', '-1,234,567', '1,000,000,000,000']);
    expect(intcomma('1234567.891')).toBe('1,234,567.891');
    expect(intcomma(' 1234 ')).toBe('1,234');
  });

  it('returns other values unchanged', () => {
    expect(intcomma('abc')).toBe('abc');
    expect(intcomma(1e21)).toBe('1e+21');
    expect(intcomma(Number.NaN)).toBe('NaN');
    expect(intcomma(null)).toBe(null);
    const safe = markSafe('<b>');
    expect(intcomma(safe)).toBe(safe);
  });

  it('is linear on a megabyte of digits, and on a megabyte that is not a number', () => {
    const { result, ms } = timed(() => intcomma('9'.repeat(999_999)));
    expect(result).toBe(Array(333_333).fill('999').join(','));
    const junk = timed(() => intcomma(`${'1'.repeat(1_000_000)}x`));
    expect(junk.result).toBe(`${'1'.repeat(1_000_000)}x`);
    expect(Math.max(ms, junk.ms)).toBeLessThan(LINEAR_TIME_BUDGET_MS);
  });
});

describe('filesizeformat', () => {
  it('writes sizes in powers of 1024 with a no-break space', () => {
    const sizes = [0, 1, 1023, 1024, 1536, 123456789, 1024 ** 3 * 5.5, 1024 ** 4, 1024 ** 5 * 2, -2048];
    expect(sizes.map(filesizeformat)).toEqual(
      ['0 bytes', '1 byte', '1023 bytes', '1.0 KB', '1.5 KB', '117.7 MB', '5.5 GB', '1.0 TB', '2.0 PB', '-2.0 KB'].map((s) => s.replace(' ', NBSP)),
    );
  });

  it('gives 0 bytes for non-numbers, quickly for huge strings', () => {
    for (const bad of ['abc', null, undefined, {}, Number.POSITIVE_INFINITY, '']) expect(filesizeformat(bad)).toBe(`0${NBSP}bytes`);
    expect(filesizeformat('2048')).toBe(`2.0${NBSP}KB`);
    const { result, ms } = timed(() => filesizeformat('9'.repeat(1_000_000)));
    expect(result).toBe(`0${NBSP}bytes`);
    expect(ms).toBeLessThan(LINEAR_TIME_BUDGET_MS);
  });
});

describe('number filters in templates', () => {
  let project: TempProject;
  afterEach(() => project.cleanup());

  it('are registered', async () => {
    project = tempProject();
    const backend = await backendFor(fakeContext({ root: project.root }));
    expect(await backend.renderString('{{ n | intcomma }} {{ b | filesizeformat }}', { n: 1234567, b: 2048 })).toBe(`1,234,567 2.0${NBSP}KB`);
  });
});
