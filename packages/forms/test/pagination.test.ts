import { describe, expect, it } from 'vitest';
import { ELLIPSIS, EmptyPage, InvalidPage, PageNotAnInteger, Paginator, elidedPageRange } from '../src/index.js';
import { Tag } from './support/blog-models.js';
import { forEachDatabase } from './support/databases.js';

const numbers = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('Paginator over arrays', () => {
  it('splits into pages with positions', async () => {
    const paginator = new Paginator(numbers(23), 10);
    expect(await paginator.count()).toBe(23);
    expect(await paginator.numPages()).toBe(3);
    expect(await paginator.pageRange()).toEqual([1, 2, 3]);
    const second = await paginator.page(2);
    expect(second.objects).toEqual(numbers(20).slice(10));
    expect([...second]).toHaveLength(10);
    expect(second).toMatchObject({ number: 2, hasNext: true, hasPrevious: true, hasOtherPages: true, nextPageNumber: 3, previousPageNumber: 1, startIndex: 11, endIndex: 20 });
    const last = await paginator.page('3');
    expect(last).toMatchObject({ hasNext: false, nextPageNumber: null, startIndex: 21, endIndex: 23, length: 3 });
    const first = await paginator.page(1);
    expect(first).toMatchObject({ hasPrevious: false, previousPageNumber: null, startIndex: 1 });
  });

  it('folds orphans into the last page', async () => {
    const paginator = new Paginator(numbers(23), 10, { orphans: 3 });
    expect(await paginator.numPages()).toBe(2);
    expect((await paginator.page(2)).objects).toEqual(numbers(23).slice(10));
    expect(await new Paginator(numbers(24), 10, { orphans: 3 }).numPages()).toBe(3);
    expect(await new Paginator(numbers(2), 10, { orphans: 5 }).numPages()).toBe(1);
  });

  it('an empty list has one empty page unless allowEmptyFirstPage is false', async () => {
    const page = await new Paginator([], 10).page(1);
    expect(page).toMatchObject({ objects: [], startIndex: 0, endIndex: 0, hasNext: false, numPages: 1 });
    const strict = new Paginator([], 10, { allowEmptyFirstPage: false });
    expect(await strict.numPages()).toBe(0);
    await expect(strict.page(1)).rejects.toBeInstanceOf(EmptyPage);
  });

  it('exact multiples have no empty trailing page', async () => {
    const paginator = new Paginator(numbers(20), 10);
    expect(await paginator.numPages()).toBe(2);
    await expect(paginator.page(3)).rejects.toThrow(/Page 3 contains no results; the last page is 2/);
  });

  it.each([['abc'], ['2.5'], ['1e3'], [''], [' '], [2.5], [Number.NaN], [null], [undefined], [['1']], [{}], ['9'.repeat(40)]])('refuses %j as PageNotAnInteger', async (value) => {
    const error = await new Paginator(numbers(5), 2).page(value).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PageNotAnInteger);
    expect(error).toBeInstanceOf(InvalidPage);
    expect((error as PageNotAnInteger).code).toBe('E_PAGE_NOT_AN_INTEGER');
  });

  it.each([[0], ['0'], [-1], ['-3'], [4], ['99999']])('refuses page %j as EmptyPage', async (value) => {
    const error = await new Paginator(numbers(5), 2).page(value).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmptyPage);
    expect((error as EmptyPage).code).toBe('E_EMPTY_PAGE');
  });

  it("accepts ' 2 ' and 'last'", async () => {
    const paginator = new Paginator(numbers(5), 2);
    expect((await paginator.page(' 2 ')).number).toBe(2);
    expect((await paginator.page('last')).number).toBe(3);
  });

  it('getPage never throws: page 1 for junk, the last page past the end', async () => {
    const paginator = new Paginator(numbers(5), 2);
    expect((await paginator.getPage('junk')).number).toBe(1);
    expect((await paginator.getPage(99)).number).toBe(3);
    expect((await paginator.getPage(-1)).number).toBe(3);
  });

  it('refuses a bad perPage or orphans at construction', () => {
    expect(() => new Paginator([], 0)).toThrow(/perPage must be a positive whole number/);
    expect(() => new Paginator([], 1.5)).toThrow(/perPage/);
    expect(() => new Paginator([], 5, { orphans: -1 })).toThrow(/orphans/);
  });
});

describe('elided page ranges', () => {
  it('elides like Django', async () => {
    const paginator = new Paginator(numbers(500), 10);
    expect(await paginator.getElidedPageRange(1)).toEqual([1, 2, 3, 4, ELLIPSIS, 49, 50]);
    expect(await paginator.getElidedPageRange(10)).toEqual([1, 2, ELLIPSIS, 7, 8, 9, 10, 11, 12, 13, ELLIPSIS, 49, 50]);
    expect(await paginator.getElidedPageRange(50)).toEqual([1, 2, ELLIPSIS, 47, 48, 49, 50]);
    expect(await paginator.getElidedPageRange(6, { onEachSide: 1, onEnds: 1 })).toEqual([1, ELLIPSIS, 5, 6, 7, ELLIPSIS, 50]);
    expect(await paginator.getElidedPageRange(7)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ELLIPSIS, 49, 50]);
    expect(elidedPageRange(3, 10)).toEqual(numbers(10));
    expect(elidedPageRange(1, 1)).toEqual([1]);
    await expect(paginator.getElidedPageRange(51)).rejects.toBeInstanceOf(EmptyPage);
  });

  it('is also on the page', async () => {
    const page = await new Paginator(numbers(300), 10).page(15);
    expect(page.elidedPageRange({ onEachSide: 2, onEnds: 1 })).toEqual([1, ELLIPSIS, 13, 14, 15, 16, 17, ELLIPSIS, 30]);
    expect(page.pageRange).toHaveLength(30);
  });
});

forEachDatabase(
  'Paginator over querysets',
  () => {
    it('counts once and fetches only the page, in order', async () => {
      for (const name of ['e', 'b', 'a', 'd', 'c', 'g', 'f']) await Tag.objects.create({ name });
      const paginator = new Paginator(Tag.objects.orderBy('name'), 3, { orphans: 1 });
      expect(await paginator.numPages()).toBe(2);
      const first = await paginator.page(1);
      expect(first.objects.map((t) => t.name)).toEqual(['a', 'b', 'c']);
      const last = await paginator.page(2);
      expect(last.objects.map((t) => t.name)).toEqual(['d', 'e', 'f', 'g']);
      expect(last).toMatchObject({ startIndex: 4, endIndex: 7, hasNext: false });
      await expect(paginator.page(3)).rejects.toBeInstanceOf(EmptyPage);
      const filtered = new Paginator(Tag.objects.filter({ name: { in: ['a', 'b'] } }), 10);
      expect((await filtered.page(1)).objects).toHaveLength(2);
    });
  },
  { models: [Tag] },
);
