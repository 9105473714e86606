import { afterEach, describe, expect, it } from 'vitest';
import { f } from '../src/fields/f.js';
import { model } from '../src/model/model.js';
import { FieldError, OrmUsageError } from '../src/errors.js';
import { assertNumQueries, captureQueries } from '../src/db/query-counter.js';
import { chunks } from '../src/relations/instance-keys.js';
import { Prefetch, prefetchRelated } from '../src/relations/prefetch.js';
import { lookupTree } from '../src/relations/prefetch-lookup.js';
import { setStrictMode } from '../src/relations/strict-mode.js';
import { forEachDatabase } from './support/databases.js';

const Author = model('pf.Author', { name: f.string({ maxLength: 50 }) }, { ordering: ['id'] });
const Post = model('pf.Post', {
  title: f.string({ maxLength: 50 }),
  rank: f.integer({ default: 0 }),
  author: f.foreignKey(() => Author, { onDelete: 'CASCADE', relatedName: 'posts' }),
  tags: f.manyToMany(() => Tag, { relatedName: 'posts' }),
}, { ordering: ['id'] });
const Comment = model('pf.Comment', {
  body: f.string({ maxLength: 50 }),
  post: f.foreignKey(() => Post, { onDelete: 'CASCADE', relatedName: 'comments' }),
}, { ordering: ['id'] });
const Tag = model('pf.Tag', { name: f.string({ maxLength: 50 }) }, { ordering: ['name'] });

type Row = Record<string, any>;

describe('lookup tree and chunks', () => {
  it('merges shared prefixes and attaches Prefetch querysets to the last relation', () => {
    const qs = Post.objects.filter({ rank: 1 });
    const tree = lookupTree(['posts', 'posts.comments', new Prefetch('posts.tags'), new Prefetch('books', qs)]);
    expect([...tree.keys()]).toEqual(['posts', 'books']);
    expect([...tree.get('posts')!.children.keys()]).toEqual(['comments', 'tags']);
    expect(tree.get('books')!.queryset).toBe(qs);
    expect(() => lookupTree(['posts..comments'])).toThrow(OrmUsageError);
    expect(() => lookupTree([new Prefetch('posts', qs), new Prefetch('posts', Post.objects.all())])).toThrow(/given twice/);
  });

  it('splits IN lists below each database parameter limit', () => {
    const keys = Array.from({ length: 70_000 }, (_, i) => i);
    expect(chunks(keys, 'sqlite').map((c) => c.length)).toEqual([30_000, 30_000, 10_000]);
    expect(chunks(keys, 'postgres').map((c) => c.length)).toEqual([60_000, 10_000]);
    expect(chunks([], 'sqlite')).toEqual([]);
  });
});

forEachDatabase('prefetch', (db) => {
  afterEach(() => setStrictMode(null));

  /** `authors` authors with `posts` posts each; every post has `comments` comments. */
  async function seed(authors: number, posts: number, comments = 0) {
    const authorRows = (await Author.objects.bulkCreate(Array.from({ length: authors }, (_, i) => ({ name: `a${i}` })))) as Row[];
    const made = await Author.objects.all() as Row[];
    const postData = made.flatMap((author) => Array.from({ length: posts }, (_, j) => ({ title: `${author['name']}-p${j}`, rank: j, authorId: author['id'] })));
    await Post.objects.bulkCreate(postData as never);
    if (comments > 0) {
      const postRows = (await Post.objects.all()) as Row[];
      await Comment.objects.bulkCreate(postRows.flatMap((post) => Array.from({ length: comments }, (_, k) => ({ body: `c${k}`, postId: post['id'] }))) as never);
    }
    return authorRows;
  }

  it('prefetches 100 parents x 10 children in 2 queries', async () => {
    await seed(100, 10);
    const authors = (await assertNumQueries(2, async () => await Author.objects.prefetchRelated('posts'))) as Row[];
    expect(authors).toHaveLength(100);
    await assertNumQueries(0, () => {
      for (const author of authors) {
        const posts = author['posts'].loaded as Row[];
        expect(posts).toHaveLength(10);
        expect(posts.every((post) => post['author'] === author)).toBe(true);
      }
    });
    expect((authors[3]!['posts'].loaded as Row[]).map((p) => p['title'])[0]).toBe('a3-p0');
  });

  it('prefetches nested relations in one query per level (3 in all)', async () => {
    await seed(5, 4, 3);
    const authors = (await assertNumQueries(3, async () => await Author.objects.prefetchRelated('posts.comments'))) as Row[];
    await assertNumQueries(0, () => {
      const counts = authors.map((a) => (a['posts'].loaded as Row[]).reduce((n, p) => n + p['comments'].loaded.length, 0));
      expect(counts).toEqual([12, 12, 12, 12, 12]);
    });
  });

  it('prefetches a forward key once per distinct target, sharing the objects', async () => {
    await seed(3, 5);
    const posts = (await assertNumQueries(2, async () => await Post.objects.prefetchRelated('author'))) as Row[];
    expect(posts).toHaveLength(15);
    expect(posts[0]!['author']).toBe(posts[4]!['author']);
    expect(posts[5]!['author']['name']).toBe('a1');
    const { queries } = await captureQueries(() => Post.objects.prefetchRelated('author'));
    expect(queries[1]!.parameters).toHaveLength(3);
  });

  it('prefetches many-to-many in one query per direction, in the target ordering', async () => {
    await seed(1, 3);
    const [p0, p1] = (await Post.objects.all()) as Row[];
    await Tag.objects.bulkCreate([{ name: 'zeta' }, { name: 'alpha' }]);
    const tags = (await Tag.objects.all()) as Row[];
    await p0!['tags'].add(...tags);
    await p1!['tags'].add(tags.find((t) => t['name'] === 'zeta')!);
    const posts = (await assertNumQueries(2, async () => await Post.objects.prefetchRelated('tags'))) as Row[];
    expect(posts.map((p) => p['tags'].loaded.map((t: Row) => t['name']))).toEqual([['alpha', 'zeta'], ['zeta'], []]);
    const byTag = (await assertNumQueries(2, async () => await Tag.objects.prefetchRelated('posts'))) as Row[];
    expect(byTag.map((t) => [t['name'], t['posts'].loaded.length])).toEqual([['alpha', 1], ['zeta', 2]]);
  });

  it('uses the queryset of a Prefetch to filter and order the prefetched rows', async () => {
    await seed(2, 4);
    const authors = (await assertNumQueries(2, async () =>
      await Author.objects.prefetchRelated(new Prefetch('posts', Post.objects.filter({ rank: { gte: 2 } }).orderBy('-rank'))),
    )) as Row[];
    expect(authors.map((a) => a['posts'].loaded.map((p: Row) => p['rank']))).toEqual([[3, 2], [3, 2]]);
  });

  it('uses a Prefetch queryset for many-to-many (join pairs, then the filtered rows)', async () => {
    await seed(1, 2);
    const [p0, p1] = (await Post.objects.all()) as Row[];
    await Tag.objects.bulkCreate([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    const tags = (await Tag.objects.all()) as Row[];
    await p0!['tags'].set(tags);
    await p1!['tags'].set([tags[1]!]);
    const posts = (await Post.objects.prefetchRelated(new Prefetch('tags', Tag.objects.exclude({ name: 'a' }).orderBy('-name')))) as Row[];
    expect(posts.map((p) => p['tags'].loaded.map((t: Row) => t['name']))).toEqual([['c', 'b'], ['b']]);
  });

  it('does not fetch a relation again when it is already loaded', async () => {
    await seed(2, 2);
    const posts = (await Post.objects.selectRelated('author')) as Row[];
    await assertNumQueries(0, () => prefetchRelated(Post, posts, ['author'], 'default'));
    await assertNumQueries(1, () => prefetchRelated(Post, posts, ['author.posts'], 'default'));
    expect(posts[0]!['author']['posts'].loaded).toHaveLength(2);
  });

  it('splits a huge IN list into chunks instead of exceeding the parameter limit', async () => {
    await seed(1, 2);
    const [real] = (await Author.objects.all()) as Row[];
    const size = db.dialect === 'sqlite' ? 30_001 : 60_001;
    const parents = Array.from({ length: size }, (_, i) => {
      const author = Author.build({ name: 'x' }) as Row;
      author['id'] = i === 0 ? real!['id'] : 1_000_000 + i;
      return author;
    });
    await assertNumQueries(2, () => prefetchRelated(Author, parents, ['posts'], 'default'));
    expect(parents[0]!['posts'].loaded).toHaveLength(2);
    expect(parents[1]!['posts'].loaded).toEqual([]);
  });

  it('rejects an unknown relation with the closest name', async () => {
    await seed(1, 1);
    await expect(Author.objects.prefetchRelated('post').then((r) => r)).rejects.toThrow(FieldError);
    await expect(prefetchRelated(Author, (await Author.objects.all()) as Row[], ['posts.coments'], 'default')).rejects.toThrow(
      /'coments' is not a relation of pf.Post; did you mean 'comments'\?/,
    );
  });

  it('does nothing (no query) for an empty list', async () => {
    await assertNumQueries(0, () => prefetchRelated(Author, [], ['posts'], 'default'));
  });
}, { models: [Author, Post, Comment, Tag], isolate: true });
