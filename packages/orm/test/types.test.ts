/**
 * Type-level tests: checked by `tsc -b` (npm test), where a wrong inferred
 * type or an accepted invalid call fails the build. The runtime assertions
 * only build lazy querysets (no database is touched).
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Infer, InsertData, Instance } from '../src/model/model-types.js';
import { Avg, Count, F, Max, Min, Sum } from '../src/query/expressions.js';
import { Q } from '../src/query/q.js';
import { QuerySet } from '../src/query/query-set.js';
import type { Where } from '../src/query/where.js';
import { signals } from '../src/signals.js';
import { Author, Comment, Post, Tag } from './query-models.js';

type PostRow = Infer<typeof Post>;
type AuthorRow = Infer<typeof Author>;

describe('model types', () => {
  it('infers row types from the fields', () => {
    expectTypeOf<PostRow['id']>().toEqualTypeOf<number>();
    expectTypeOf<PostRow['title']>().toEqualTypeOf<string>();
    expectTypeOf<PostRow['rating']>().toEqualTypeOf<number | null>();
    expectTypeOf<PostRow['price']>().toEqualTypeOf<string>();
    expectTypeOf<PostRow['publishedAt']>().toEqualTypeOf<Date | null>();
    expectTypeOf<PostRow['status']>().toEqualTypeOf<'draft' | 'live'>();
    expectTypeOf<PostRow['authorId']>().toEqualTypeOf<number>();
    expectTypeOf<PostRow['editorId']>().toEqualTypeOf<number | null>();
    expectTypeOf<PostRow['author']>().toEqualTypeOf<Instance<typeof Author>>();
    expectTypeOf<PostRow['editor']>().toEqualTypeOf<Instance<typeof Author> | null>();
    expectTypeOf<AuthorRow['posts']['loaded']>().toEqualTypeOf<Array<Instance<typeof Post>>>();
    expect(Post.meta.table).toBe('qs_post');
  });

  it('requires what create() needs and accepts a foreign key as object or key', () => {
    const ann = Author.build({ name: 'Ann' });
    const byObject: InsertData<typeof Post> = { title: 't', author: ann };
    const byKey: InsertData<typeof Post> = { title: 't', authorId: 1, tags: [1, 2] };
    // @ts-expect-error title is required
    const noTitle: InsertData<typeof Post> = { author: ann };
    // @ts-expect-error the author (or authorId) is required
    const noAuthor: InsertData<typeof Post> = { title: 't' };
    // @ts-expect-error views is a number
    const wrongType: InsertData<typeof Post> = { title: 't', author: ann, views: '3' };
    // @ts-expect-error unknown field
    const unknown: InsertData<typeof Post> = { title: 't', author: ann, titel: 'x' };
    expect([byObject, byKey, noTitle, noAuthor, wrongType, unknown]).toHaveLength(6);
  });
});

describe('filters', () => {
  it('checks filter keys, lookups and values against the fields', () => {
    const valid: Where<typeof Post> = {
      title: { icontains: 'orm', startswith: 'A' },
      views: { gte: 1, in: [1, 2] },
      rating: null,
      publishedAt: { year: 2026, month: { gte: 6 }, date: '2026-11-25' },
      day: { weekDay: 2 },
      author: { name: 'Ann', posts: { views: { gt: 1 } } },
      editor: null,
      tags: { name: 'orm' },
      comments: { score: { lt: 3 } },
      likes: { gt: F('views') },
      pk: { in: [1, 2] },
      data: { hasKey: 'tags' },
    };
    expect(Object.keys(valid)).toContain('title');
    // @ts-expect-error unknown field
    Post.objects.filter({ titel: 'x' });
    // @ts-expect-error unknown lookup
    Post.objects.filter({ title: { icontain: 'x' } });
    // @ts-expect-error views is a number
    Post.objects.filter({ views: 'ten' });
    // @ts-expect-error text lookups only on text fields
    Post.objects.filter({ views: { icontains: '1' } });
    // @ts-expect-error date parts only on dates
    Post.objects.filter({ title: { year: 2020 } });
    // @ts-expect-error title is not nullable
    Post.objects.filter({ title: null });
    // @ts-expect-error unknown field through a relation
    Post.objects.filter({ author: { nmae: 'x' } });
    // @ts-expect-error unknown reverse relation
    Author.objects.filter({ postz: { title: 'x' } });
    // @ts-expect-error F() paths are checked
    Post.objects.filter({ likes: { gt: F('viewz') } });
    // @ts-expect-error JSON fields are not compared by value
    Post.objects.filter({ data: { tags: ['x'] } });
  });

  it('types Q composition from where it is used', () => {
    const qs = Post.objects.filter(Q.or({ title: 'a' }, Q.not({ views: { gt: 3 } })), Q.and({ author: { name: 'Ann' } }));
    expect(qs).toBeInstanceOf(QuerySet);
    // @ts-expect-error unknown field inside Q.or
    Post.objects.filter(Q.or({ title: 'a' }, { viewz: 1 }));
  });
});

describe('results', () => {
  it('types instances, values() and valuesList()', () => {
    expectTypeOf(Post.objects.filter({ title: 'x' })).toEqualTypeOf<QuerySet<typeof Post>>();
    const get = () => Post.objects.get({ id: 1 });
    expectTypeOf<Awaited<ReturnType<typeof get>>>().toEqualTypeOf<Instance<typeof Post>>();
    const first = () => Post.objects.orderBy('-views').first();
    expectTypeOf<Awaited<ReturnType<typeof first>>>().toEqualTypeOf<Instance<typeof Post> | null>();

    const values = Post.objects.values('id', 'title', 'author.name', 'editor.name');
    expectTypeOf<Awaited<typeof values>>().toEqualTypeOf<Array<{ id: number; title: string; 'author.name': string; 'editor.name': string | null }>>();
    const all = Author.objects.values();
    expectTypeOf<Awaited<typeof all>>().toEqualTypeOf<Array<{ id: number; name: string; email: string | null; age: number | null }>>();
    const tuples = Post.objects.valuesList('id', 'publishedAt');
    expectTypeOf<Awaited<typeof tuples>>().toEqualTypeOf<Array<[number, Date | null]>>();
    const flat = Post.objects.valuesList('title', { flat: true });
    expectTypeOf<Awaited<typeof flat>>().toEqualTypeOf<string[]>();
    // @ts-expect-error unknown field in values()
    Post.objects.values('titel');
    expect(values).toBeInstanceOf(QuerySet);
  });

  it('types annotate() and aggregate()', () => {
    const annotated = Author.objects.annotate({ n: Count('posts'), top: Max('posts.views') }).filter({ n: { gt: 1 } }).orderBy('-n');
    type Row = Awaited<typeof annotated>[number];
    expectTypeOf<Row['n']>().toEqualTypeOf<number>();
    expectTypeOf<Row['top']>().toEqualTypeOf<number | null>();
    expectTypeOf<Row['name']>().toEqualTypeOf<string>();
    const grouped = Post.objects.values('authorId').annotate({ total: Sum('views') });
    expectTypeOf<Awaited<typeof grouped>>().toEqualTypeOf<Array<{ authorId: number; total: number | null }>>();

    const aggregate = () => Post.objects.aggregate({ total: Sum('price'), views: Sum('views'), avg: Avg('views'), first: Min('publishedAt'), n: Count() });
    expectTypeOf<Awaited<ReturnType<typeof aggregate>>>().toEqualTypeOf<{ total: string | null; views: number | null; avg: number | null; first: Date | null; n: number }>();
    // @ts-expect-error unknown aggregate path
    Post.objects.annotate({ x: Count('comentz') });
    expect(annotated).toBeInstanceOf(QuerySet);
  });

  it('types orderBy(), selectRelated(), prefetchRelated(), update()', () => {
    Post.objects.orderBy('-author.name', 'title', 'pk');
    Comment.objects.selectRelated('post', 'post.author');
    Author.objects.prefetchRelated('posts', 'posts.tags', 'profile');
    Tag.objects.prefetchRelated('posts');
    const update = () => Post.objects.filter({ id: 1 }).update({ views: F('views').add(1), title: 'x', editor: null });
    expectTypeOf<Awaited<ReturnType<typeof update>>>().toEqualTypeOf<number>();
    // @ts-expect-error unknown ordering
    Post.objects.orderBy('-viewz');
    // @ts-expect-error many-to-many cannot be joined with selectRelated
    Post.objects.selectRelated('tags');
    // @ts-expect-error unknown relation
    Author.objects.prefetchRelated('postz');
    const invalidUpdates = () => [
      // @ts-expect-error update() checks field types
      Post.objects.all().update({ views: 'x' }),
      // @ts-expect-error F() in update() reads own columns only
      Post.objects.all().update({ views: F('author.age') }),
    ];
    expect(typeof invalidUpdates).toBe('function');
    expect(typeof update).toBe('function');
  });
});

describe('signals', () => {
  it('types receivers by model', () => {
    const off = signals.preSave.connect(Post, (post, { created, using }) => {
      expectTypeOf(post.title).toEqualTypeOf<string>();
      expectTypeOf(created).toEqualTypeOf<boolean>();
      expectTypeOf(using).toEqualTypeOf<string>();
    });
    // @ts-expect-error Author instances have no title
    signals.postSave.connect(Author, (author) => author.title);
    expect(signals.preSave.hasReceivers(Post)).toBe(true);
    off();
    expect(signals.preSave.hasReceivers(Post)).toBe(false);
    signals.postSave.clear();
  });
});
