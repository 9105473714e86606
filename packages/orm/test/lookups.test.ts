import { beforeAll, describe, expect, it } from 'vitest';
import { FieldError, OrmUsageError } from '../src/errors.js';
import { F } from '../src/query/expressions.js';
import { Q } from '../src/query/q.js';
import { escapeLike } from '../src/query/lookups.js';
import { forEachDatabase } from './support/databases.js';
import { allQueryModels, Author, Comment, Post, Tag } from './query-models.js';

describe('escapeLike', () => {
  it('escapes the LIKE wildcards and the escape character itself', () => {
    expect(escapeLike('100%_a\\b')).toBe('100\\%\\_a\\\\b');
  });
});

forEachDatabase('lookups', (db) => {
  const titles = (rows: ReadonlyArray<{ title: string }>): string[] => rows.map((row) => row.title).sort();

  beforeAll(async () => {
    const ann = await Author.create({ name: 'Ann', email: 'ann@example.com', age: 31 });
    const bob = await Author.create({ name: 'Bob', age: null });
    const zoe = await Author.create({ name: 'Zoë', email: 'ZOE@example.com', age: 25 });
    const [orm, web] = await Tag.objects.bulkCreate([{ name: 'orm' }, { name: 'web' }]);
    const posts = await Post.objects.bulkCreate([
      { title: 'Hello World', author: ann, views: 10, likes: 12, price: '9.99', rating: 4.5, publishedAt: new Date('2024-02-29T23:30:15Z'), day: '2024-02-29', status: 'live', data: { tags: ['a'], score: 1 } },
      { title: '100% pure_fun', author: ann, views: 100, likes: 3, price: '10.50', rating: null, publishedAt: new Date('2025-07-04T08:05:09Z'), day: '2025-07-04' },
      { title: 'ÉCOLE élève', author: zoe, editor: ann, views: 5, likes: 5, price: '100.00', publishedAt: null, data: { score: 2 } },
      { title: 'hello again', author: bob, views: 0, likes: 1, price: '2.00', day: '2025-12-31', status: 'live' },
    ]);
    await posts[0]!.tags.set([orm!, web!]);
    await posts[1]!.tags.set([orm!]);
    await Comment.objects.bulkCreate([
      { post: posts[0]!, text: 'nice', score: 5 },
      { post: posts[0]!, text: 'meh', score: 1 },
      { post: posts[2]!, text: 'très bien', score: 4 },
    ]);
  });

  describe('text', () => {
    it('exact and iexact', async () => {
      expect(titles(await Post.objects.filter({ title: 'Hello World' }))).toEqual(['Hello World']);
      expect(titles(await Post.objects.filter({ title: { exact: 'hello world' } }))).toEqual([]);
      expect(titles(await Post.objects.filter({ title: { iexact: 'HELLO world' } }))).toEqual(['Hello World']);
    });

    it('contains is case-sensitive and icontains is not, on both databases', async () => {
      expect(titles(await Post.objects.filter({ title: { contains: 'ello' } }))).toEqual(['Hello World', 'hello again']);
      expect(titles(await Post.objects.filter({ title: { contains: 'Hello' } }))).toEqual(['Hello World']);
      expect(titles(await Post.objects.filter({ title: { icontains: 'HELLO' } }))).toEqual(['Hello World', 'hello again']);
    });

    it('case-insensitive matching covers non-ASCII letters identically', async () => {
      expect(titles(await Post.objects.filter({ title: { icontains: 'école' } }))).toEqual(['ÉCOLE élève']);
      expect(titles(await Post.objects.filter({ title: { istartswith: 'éc' } }))).toEqual(['ÉCOLE élève']);
      expect(titles(await Post.objects.filter({ title: { iendswith: 'ÉLÈVE' } }))).toEqual(['ÉCOLE élève']);
      expect((await Author.objects.filter({ name: { iexact: 'ZOË' } })).map((a) => a.name)).toEqual(['Zoë']);
    });

    it('treats % and _ in values literally', async () => {
      expect(titles(await Post.objects.filter({ title: { contains: '%' } }))).toEqual(['100% pure_fun']);
      expect(titles(await Post.objects.filter({ title: { icontains: '_' } }))).toEqual(['100% pure_fun']);
      expect(titles(await Post.objects.filter({ title: { startswith: '100%' } }))).toEqual(['100% pure_fun']);
      expect(titles(await Post.objects.filter({ title: { endswith: '_fun' } }))).toEqual(['100% pure_fun']);
      expect(titles(await Post.objects.filter({ title: { contains: 'pure%' } }))).toEqual([]);
      expect(titles(await Post.objects.filter({ title: { istartswith: '1_0' } }))).toEqual([]);
    });

    it('startswith and endswith are case-sensitive', async () => {
      expect(titles(await Post.objects.filter({ title: { startswith: 'hello' } }))).toEqual(['hello again']);
      expect(titles(await Post.objects.filter({ title: { istartswith: 'hello' } }))).toEqual(['Hello World', 'hello again']);
      expect(titles(await Post.objects.filter({ title: { endswith: 'WORLD' } }))).toEqual([]);
      expect(titles(await Post.objects.filter({ title: { iendswith: 'WORLD' } }))).toEqual(['Hello World']);
    });

    it('regex and iregex use the same patterns on both databases', async () => {
      expect(titles(await Post.objects.filter({ title: { regex: '^[Hh]ello' } }))).toEqual(['Hello World', 'hello again']);
      expect(titles(await Post.objects.filter({ title: { regex: '^hello' } }))).toEqual(['hello again']);
      expect(titles(await Post.objects.filter({ title: { iregex: '^HELLO (world|again)$' } }))).toEqual(['Hello World', 'hello again']);
      expect(titles(await Post.objects.filter({ title: { regex: '[0-9]+%' } }))).toEqual(['100% pure_fun']);
    });

    it('an empty pattern matches every non-null value', async () => {
      expect(await Post.objects.filter({ title: { contains: '' } }).count()).toBe(4);
      expect(await Author.objects.filter({ email: { startswith: '' } }).count()).toBe(2);
    });
  });

  describe('comparisons', () => {
    it('gt, gte, lt, lte, range and in', async () => {
      expect(titles(await Post.objects.filter({ views: { gt: 5 } }))).toEqual(['100% pure_fun', 'Hello World']);
      expect(titles(await Post.objects.filter({ views: { gte: 5, lt: 100 } }))).toEqual(['Hello World', 'ÉCOLE élève']);
      expect(titles(await Post.objects.filter({ views: { lte: 0 } }))).toEqual(['hello again']);
      expect(titles(await Post.objects.filter({ views: { range: [5, 10] } }))).toEqual(['Hello World', 'ÉCOLE élève']);
      expect(titles(await Post.objects.filter({ views: { in: [0, 100, 7] } }))).toEqual(['100% pure_fun', 'hello again']);
      expect(await Post.objects.filter({ views: { in: [] } }).count()).toBe(0);
    });

    it('in with null also matches NULL', async () => {
      expect((await Author.objects.filter({ age: { in: [31, null] } })).map((a) => a.name)).toEqual(['Ann', 'Bob']);
    });

    it('compares decimals as numbers, not text', async () => {
      expect(titles(await Post.objects.filter({ price: { gt: '9.99' } }))).toEqual(['100% pure_fun', 'ÉCOLE élève']);
      expect(titles(await Post.objects.filter({ price: { lt: '10' } }))).toEqual(['Hello World', 'hello again']);
      expect(titles(await Post.objects.filter({ price: '100' }))).toEqual(['ÉCOLE élève']);
      expect(titles(await Post.objects.filter({ price: { range: ['2', '10.5'] } }))).toEqual(['100% pure_fun', 'Hello World', 'hello again']);
    });

    it('compares columns with F expressions', async () => {
      expect(titles(await Post.objects.filter({ likes: { gt: F('views') } }))).toEqual(['Hello World', 'hello again']);
      expect(titles(await Post.objects.filter({ likes: F('views') }))).toEqual(['ÉCOLE élève']);
      expect(titles(await Post.objects.filter({ likes: { gte: F('views').add(2) } }))).toEqual(['Hello World']);
      expect(titles(await Post.objects.filter({ views: { gt: F('likes').mul(10) } }))).toEqual(['100% pure_fun']);
    });

    it('booleans and enums', async () => {
      await Post.objects.filter({ title: 'hello again' }).update({ published: true });
      expect(titles(await Post.objects.filter({ published: true }))).toEqual(['hello again']);
      expect(await Post.objects.filter({ published: false }).count()).toBe(3);
      expect(titles(await Post.objects.filter({ status: 'live' }))).toEqual(['Hello World', 'hello again']);
      await Post.objects.filter({ title: 'hello again' }).update({ published: false });
    });
  });

  describe('null', () => {
    it('null and isnull', async () => {
      expect((await Author.objects.filter({ age: null })).map((a) => a.name)).toEqual(['Bob']);
      expect((await Author.objects.filter({ age: { isnull: false } })).map((a) => a.name)).toEqual(['Ann', 'Zoë']);
      expect(titles(await Post.objects.filter({ rating: { exact: null } }))).toEqual(['100% pure_fun', 'hello again', 'ÉCOLE élève']);
      expect(titles(await Post.objects.filter({ editor: null }))).toEqual(['100% pure_fun', 'Hello World', 'hello again']);
    });

    it('exclude keeps rows whose column is NULL (like Django)', async () => {
      expect((await Author.objects.exclude({ age: 31 })).map((a) => a.name)).toEqual(['Bob', 'Zoë']);
      expect((await Author.objects.filter(Q.not({ age: { gt: 26 } }))).map((a) => a.name)).toEqual(['Bob', 'Zoë']);
    });
  });

  describe('dates', () => {
    it('year, month, day and weekDay of datetimes (UTC) and dates', async () => {
      expect(titles(await Post.objects.filter({ publishedAt: { year: 2024 } }))).toEqual(['Hello World']);
      expect(titles(await Post.objects.filter({ publishedAt: { year: { gte: 2024 }, month: 7 } }))).toEqual(['100% pure_fun']);
      expect(titles(await Post.objects.filter({ publishedAt: { day: 29 } }))).toEqual(['Hello World']);
      expect(titles(await Post.objects.filter({ day: { year: 2025 } }))).toEqual(['100% pure_fun', 'hello again']);
      expect(titles(await Post.objects.filter({ day: { month: 12, day: 31 } }))).toEqual(['hello again']);
      // 2024-02-29 was a Thursday: 5 in Django's 1 = Sunday numbering.
      expect(titles(await Post.objects.filter({ day: { weekDay: 5 } }))).toEqual(['Hello World']);
      expect(titles(await Post.objects.filter({ publishedAt: { weekDay: 6 } }))).toEqual(['100% pure_fun']); // 2025-07-04: Friday
    });

    it('hour, minute, second and date of datetimes', async () => {
      expect(titles(await Post.objects.filter({ publishedAt: { hour: 23, minute: 30, second: 15 } }))).toEqual(['Hello World']);
      expect(titles(await Post.objects.filter({ publishedAt: { date: '2025-07-04' } }))).toEqual(['100% pure_fun']);
      expect(titles(await Post.objects.filter({ publishedAt: { date: { lt: '2025-01-01' } } }))).toEqual(['Hello World']);
      expect(titles(await Post.objects.filter({ publishedAt: { hour: { in: [8, 9] } } }))).toEqual(['100% pure_fun']);
    });

    it('compares datetimes and dates', async () => {
      expect(titles(await Post.objects.filter({ publishedAt: { gt: new Date('2025-01-01T00:00:00Z') } }))).toEqual(['100% pure_fun']);
      expect(titles(await Post.objects.filter({ day: { lte: '2025-07-04' } }))).toEqual(['100% pure_fun', 'Hello World']);
    });
  });

  describe('json', () => {
    it('hasKey and isnull', async () => {
      expect(titles(await Post.objects.filter({ data: { hasKey: 'tags' } }))).toEqual(['Hello World']);
      expect(titles(await Post.objects.filter({ data: { hasKey: 'score' } }))).toEqual(['Hello World', 'ÉCOLE élève']);
      expect(titles(await Post.objects.filter({ data: null }))).toEqual(['100% pure_fun', 'hello again']);
    });

    it('refuses comparing JSON documents by value', async () => {
      await expect(Post.objects.filter({ data: { exact: {} } } as never).count()).rejects.toBeInstanceOf(FieldError);
    });
  });

  describe('relations', () => {
    it('filters through a foreign key with a join', async () => {
      expect(titles(await Post.objects.filter({ author: { name: 'Ann' } }))).toEqual(['100% pure_fun', 'Hello World']);
      expect(titles(await Post.objects.filter({ author: { name: { startswith: 'Z' }, age: { lt: 30 } } }))).toEqual(['ÉCOLE élève']);
      expect(titles(await Post.objects.filter({ editor: { name: 'Ann' } }))).toEqual(['ÉCOLE élève']);
    });

    it('accepts an instance, a key or authorId for a foreign key', async () => {
      const ann = await Author.objects.get({ name: 'Ann' });
      expect(await Post.objects.filter({ author: ann }).count()).toBe(2);
      expect(await Post.objects.filter({ author: ann.id }).count()).toBe(2);
      expect(await Post.objects.filter({ authorId: { in: [ann.id] } }).count()).toBe(2);
      expect(await Post.objects.filter({ author: { id: ann.id } }).count()).toBe(2);
    });

    it('follows two foreign keys', async () => {
      const rows = await Comment.objects.filter({ post: { author: { name: 'Zoë' } } });
      expect(rows.map((c) => c.text)).toEqual(['très bien']);
    });

    it('filters through reverse foreign keys without duplicating rows', async () => {
      const names = (await Author.objects.filter({ posts: { views: { gte: 0 } } })).map((a) => a.name);
      expect(names).toEqual(['Ann', 'Bob', 'Zoë']);
      expect((await Author.objects.filter({ posts: { comments: { score: { gte: 4 } } } })).map((a) => a.name)).toEqual(['Ann', 'Zoë']);
      expect((await Author.objects.filter({ edited: null })).map((a) => a.name)).toEqual(['Bob', 'Zoë']);
    });

    it('requires one related row to match every condition of one filter() call', async () => {
      // Ann has a post with views 100 and another with 12 likes, but none with both.
      expect(await Author.objects.filter({ posts: { views: 100, likes: 12 } }).count()).toBe(0);
      expect(await Author.objects.filter({ posts: { views: 100 } }).filter({ posts: { likes: 12 } }).count()).toBe(1);
    });

    it('filters through many-to-many relations in both directions', async () => {
      expect(titles(await Post.objects.filter({ tags: { name: 'orm' } }))).toEqual(['100% pure_fun', 'Hello World']);
      expect(titles(await Post.objects.filter({ tags: { name: 'web' } }))).toEqual(['Hello World']);
      expect(titles(await Post.objects.filter({ tags: null }))).toEqual(['hello again', 'ÉCOLE élève'].sort());
      expect((await Tag.objects.filter({ posts: { author: { name: 'Ann' } } })).map((t) => t.name)).toEqual(['orm', 'web']);
      expect((await Tag.objects.exclude({ posts: { views: 100 } })).map((t) => t.name)).toEqual(['web']);
    });
  });

  describe('composition', () => {
    it('Q.or, Q.and and Q.not', async () => {
      expect(titles(await Post.objects.filter(Q.or({ views: 0 }, { title: { startswith: '100' } })))).toEqual(['100% pure_fun', 'hello again']);
      expect(titles(await Post.objects.filter(Q.and({ views: { gt: 1 } }, Q.not({ author: { name: 'Ann' } }))))).toEqual(['ÉCOLE élève']);
      expect(titles(await Post.objects.filter(Q.or({ author: { name: 'Bob' } }, { editor: { name: 'Ann' } })))).toEqual(['hello again', 'ÉCOLE élève'].sort());
      expect(await Post.objects.filter(Q.or()).count()).toBe(0);
      expect(await Post.objects.filter(Q.and()).count()).toBe(4);
    });

    it('several filter() arguments and calls are ANDed', async () => {
      expect(titles(await Post.objects.filter({ views: { gt: 1 } }, { likes: { lt: 10 } }))).toEqual(['100% pure_fun', 'ÉCOLE élève']);
      expect(titles(await Post.objects.filter({ views: { gt: 1 } }).exclude({ likes: { lt: 10 } }))).toEqual(['Hello World']);
    });
  });

  describe('untrusted input', () => {
    it('rejects unknown fields and lookups, naming the closest', async () => {
      const where = { titel: 'x' } as Record<string, unknown>;
      await expect(Post.objects.filter(where as never).count()).rejects.toThrow(/Unknown field 'titel' on model qs\.Post.*did you mean 'title'\?/);
      await expect(Post.objects.filter({ title: { icontain: 'x' } } as never).count()).rejects.toThrow(/unknown lookup 'icontain'.*did you mean 'icontains'\?/);
      await expect(Post.objects.filter({ author: { nmae: 'x' } } as never).count()).rejects.toThrow(/'nmae' on model qs\.Author.*'name'/);
      await expect(Post.objects.filter({ views: { year: 2020 } } as never).count()).rejects.toBeInstanceOf(FieldError);
      await expect(Post.objects.filter({ views: { contains: '1' } } as never).count()).rejects.toThrow(/needs a text field/);
    });

    it('refuses undefined values instead of silently matching everything', async () => {
      await expect(Post.objects.filter({ id: undefined } as never).count()).rejects.toBeInstanceOf(OrmUsageError);
    });

    it('binds every value as a parameter', () => {
      const { sql, parameters } = Post.objects.filter({ title: { icontains: "'; drop table qs_post; --" } }).toSql();
      expect(sql).not.toContain('drop table');
      expect(parameters).toContain("%'; drop table qs\\_post; --%");
      expect(db.dialect === 'sqlite' ? sql.includes('atrium_lower') : sql.includes('lower(')).toBe(true);
    });
  });
}, { models: allQueryModels });
