import { beforeAll, describe, expect, it } from 'vitest';
import { FieldError, OrmUsageError } from '../src/errors.js';
import { Avg, Count, F, Max, Min, Sum } from '../src/query/expressions.js';
import { Q } from '../src/query/q.js';
import { forEachDatabase } from './support/databases.js';
import { allQueryModels, Author, Comment, Post, Tag } from './query-models.js';

forEachDatabase('aggregates', () => {
  beforeAll(async () => {
    const ann = await Author.create({ name: 'Ann', age: 30 });
    const bob = await Author.create({ name: 'Bob', age: 40 });
    await Author.create({ name: 'Cid' });
    const [orm, web, js] = await Tag.objects.bulkCreate([{ name: 'orm' }, { name: 'web' }, { name: 'js' }]);
    const posts = await Post.objects.bulkCreate([
      { title: 'a1', author: ann, views: 10, price: '0.10', rating: 1.5, published: true, publishedAt: new Date('2024-01-01T00:00:00Z') },
      { title: 'a2', author: ann, views: 20, price: '0.20', rating: 2.5, published: false, publishedAt: new Date('2025-06-01T00:00:00Z') },
      { title: 'a3', author: ann, views: 30, price: '1234567.05', rating: null, published: true },
      { title: 'b1', author: bob, views: 5, price: '99999999.99', rating: 4, published: true, publishedAt: new Date('2023-03-03T00:00:00Z') },
    ]);
    await posts[0]!.tags.set([orm!, web!]);
    await posts[1]!.tags.set([orm!]);
    await posts[3]!.tags.set([orm!, web!, js!]);
    await Comment.objects.bulkCreate([
      { post: posts[0]!, text: 'x', score: 1 },
      { post: posts[0]!, text: 'y', score: 2 },
      { post: posts[3]!, text: 'z', score: 3 },
    ]);
  });

  describe('aggregate()', () => {
    it('Count, Sum, Avg, Min, Max over the queryset', async () => {
      const result = await Post.objects.aggregate({ n: Count(), total: Sum('views'), avg: Avg('views'), low: Min('views'), high: Max('views') });
      expect(result).toEqual({ n: 4, total: 65, avg: 16.25, low: 5, high: 30 });
      const ann = await Post.objects.filter({ author: { name: 'Ann' } }).aggregate({ total: Sum('views'), rated: Count('rating') });
      expect(ann).toEqual({ total: 60, rated: 2 });
    });

    it('sums decimals exactly and returns them as strings', async () => {
      const { total, low, high, avg } = await Post.objects.aggregate({ total: Sum('price'), low: Min('price'), high: Max('price'), avg: Avg('price') });
      expect(total).toBe('101234567.34');
      expect(low).toBe('0.10');
      expect(high).toBe('99999999.99');
      expect(avg).toBeCloseTo(25308641.835, 3);
      expect(await Post.objects.filter({ title: { in: ['a1', 'a2'] } }).aggregate({ total: Sum('price') })).toEqual({ total: '0.30' });
    });

    it('returns null (and 0 for counts) over no rows', async () => {
      expect(await Post.objects.filter({ views: { gt: 1000 } }).aggregate({ n: Count(), total: Sum('views'), avg: Avg('views'), low: Min('publishedAt'), sum: Sum('price') })).toEqual({
        n: 0,
        total: null,
        avg: null,
        low: null,
        sum: null,
      });
    });

    it('Min/Max keep the field type', async () => {
      const { first, last } = await Post.objects.aggregate({ first: Min('publishedAt'), last: Max('publishedAt') });
      expect(first).toEqual(new Date('2023-03-03T00:00:00Z'));
      expect(last).toEqual(new Date('2025-06-01T00:00:00Z'));
    });

    it('aggregates across relations, with distinct and filter options', async () => {
      expect(await Author.objects.aggregate({ posts: Count('posts'), views: Sum('posts.views') })).toEqual({ posts: 4, views: 65 });
      expect(await Post.objects.aggregate({ links: Count('tags'), tags: Count('tags', { distinct: true }) })).toEqual({ links: 6, tags: 3 });
      expect(await Post.objects.aggregate({ published: Count('id', { filter: { published: true } }), views: Sum('views', { filter: { author: { name: 'Ann' } } }) })).toEqual({
        published: 3,
        views: 60,
      });
    });

    it('aggregates a sliced queryset over exactly its rows', async () => {
      expect(await Post.objects.orderBy('-views').limit(2).aggregate({ total: Sum('views') })).toEqual({ total: 50 });
    });

    it('refuses non-aggregates and non-numeric sums', async () => {
      await expect(Post.objects.aggregate({ x: F('views') } as never)).rejects.toBeInstanceOf(OrmUsageError);
      await expect(Post.objects.aggregate({ x: Sum('title') })).rejects.toBeInstanceOf(FieldError);
      await expect(Post.objects.aggregate({ x: Sum('nope' as never) })).rejects.toThrow(/Unknown field 'nope'/);
    });
  });

  describe('annotate()', () => {
    it('adds an aggregate per row, grouped by the row', async () => {
      const authors = await Author.objects.annotate({ n: Count('posts'), views: Sum('posts.views') }).orderBy('name');
      expect(authors.map((a) => [a.name, a.n, a.views])).toEqual([
        ['Ann', 3, 60],
        ['Bob', 1, 5],
        ['Cid', 0, null],
      ]);
      expect(authors[0]!.toJSON()).toMatchObject({ name: 'Ann', n: 3, views: 60 });
    });

    it('filters (HAVING) and orders by annotations', async () => {
      const busy = await Author.objects.annotate({ n: Count('posts') }).filter({ n: { gte: 1 } }).orderBy('-n');
      expect(busy.map((a) => a.name)).toEqual(['Ann', 'Bob']);
      const mixed = await Author.objects.annotate({ n: Count('posts') }).filter(Q.or({ n: 0 }, { n: { gt: 2 } })).orderBy('name');
      expect(mixed.map((a) => a.name)).toEqual(['Ann', 'Cid']);
      expect(await Author.objects.annotate({ n: Count('posts') }).filter({ n: { gte: 1 } }).count()).toBe(2);
    });

    it('counts with a filter and distinct', async () => {
      // Two many-valued joins multiply rows, as in SQL and Django: distinct counts each post once.
      const rows = await Author.objects
        .annotate({ published: Count('posts', { filter: { published: true }, distinct: true }), tags: Count('posts.tags', { distinct: true }) })
        .orderBy('name');
      expect(rows.map((a) => [a.name, a.published, a.tags])).toEqual([
        ['Ann', 2, 2],
        ['Bob', 1, 3],
        ['Cid', 0, 0],
      ]);
    });

    it('groups by values() fields when values() comes first', async () => {
      const rows = await Post.objects.values('authorId').annotate({ n: Count(), total: Sum('views') }).orderBy('authorId');
      const ids = await Author.objects.orderBy('id').valuesList('id', { flat: true });
      expect(rows).toEqual([
        { authorId: ids[0], n: 3, total: 60 },
        { authorId: ids[1], n: 1, total: 5 },
      ]);
      const byName = await Post.objects.values('author.name').annotate({ avg: Avg('views') }).orderBy('-avg');
      expect(byName).toEqual([
        { 'author.name': 'Ann', avg: 20 },
        { 'author.name': 'Bob', avg: 5 },
      ]);
    });

    it('annotates per-row expressions and filters on them', async () => {
      const rows = await Post.objects.annotate({ doubled: F('views').mul(2), authorName: F('author.name') }).filter({ doubled: { gt: 30 } }).orderBy('title');
      expect(rows.map((p) => [p.title, p.doubled, p.authorName])).toEqual([
        ['a2', 40, 'Ann'],
        ['a3', 60, 'Ann'],
      ]);
      expect(await Post.objects.annotate({ doubled: F('views').mul(2) }).orderBy('-doubled').valuesList('doubled', { flat: true })).toEqual([60, 40, 20, 10]);
    });

    it('counts rows of the annotated queryset and aggregates it', async () => {
      const qs = Author.objects.annotate({ n: Count('posts') });
      expect(await qs.count()).toBe(3);
      expect(await qs.filter({ n: 0 }).exists()).toBe(true);
      expect(await qs.filter({ n: { gt: 0 } }).aggregate({ total: Sum('age') })).toEqual({ total: 70 });
    });

    it('supports comments counted through two relations', async () => {
      const rows = await Author.objects.annotate({ comments: Count('posts.comments') }).orderBy('name');
      expect(rows.map((a) => a.comments)).toEqual([2, 1, 0]);
    });

    it('refuses annotation names that clash with fields', () => {
      expect(() => Author.objects.annotate({ name: Count('posts') } as never)).toThrow(OrmUsageError);
    });
  });
}, { models: allQueryModels });
