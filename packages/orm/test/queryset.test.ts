import { beforeEach, describe, expect, it } from 'vitest';
import { DoesNotExist, FieldError, IntegrityError, MultipleObjectsReturned, OrmUsageError, RelationNotLoaded } from '../src/errors.js';
import { assertNumQueries, captureQueries } from '../src/db/query-counter.js';
import { atomic } from '../src/db/transaction.js';
import { F } from '../src/query/expressions.js';
import { QuerySet } from '../src/query/query-set.js';
import { Prefetch } from '../src/relations/prefetch.js';
import { forEachDatabase } from './support/databases.js';
import { allQueryModels, Author, Comment, Post, Profile, Tag } from './query-models.js';

forEachDatabase('queryset', (db) => {
  beforeEach(async () => {
    await db.flush();
    const ann = await Author.create({ name: 'Ann', age: 31 });
    const bob = await Author.create({ name: 'Bob', age: null });
    const cid = await Author.create({ name: 'Cid', age: 40 });
    await Profile.create({ author: ann, bio: 'writes about databases', country: 'fr' });
    await Post.objects.bulkCreate([
      { title: 'a1', author: ann, views: 3, rating: 2.5 },
      { title: 'a2', author: ann, views: 1, rating: null, editor: bob },
      { title: 'b1', author: bob, views: 2, rating: 4 },
      { title: 'c1', author: cid, views: 5, rating: 1, editor: ann },
    ]);
  });

  const titles = (rows: ReadonlyArray<{ title: string }>): string[] => rows.map((row) => row.title);

  describe('laziness and immutability', () => {
    it('runs no query until awaited, and every method returns a new queryset', async () => {
      const { queries } = await captureQueries(() => {
        const base = Post.objects.all();
        const filtered = base.filter({ views: { gt: 1 } });
        expect(filtered).not.toBe(base);
        expect(filtered.orderBy('-views')).not.toBe(filtered);
        return Promise.resolve();
      });
      expect(queries).toHaveLength(0);
      const base = Post.objects.filter({ views: { gt: 1 } });
      const ordered = base.orderBy('-views');
      expect(titles(await ordered)).toEqual(['c1', 'a1', 'b1']);
      expect(titles(await base)).toEqual(['a1', 'b1', 'c1']);
      expect(base).toBeInstanceOf(QuerySet);
    });

    it('is thenable and async-iterable', async () => {
      const seen: string[] = [];
      for await (const post of Post.objects.orderBy('title')) seen.push(post.title);
      expect(seen).toEqual(['a1', 'a2', 'b1', 'c1']);
      const viaThen = await Post.objects.filter({ title: 'b1' }).then((rows) => rows.length);
      expect(viaThen).toBe(1);
    });
  });

  describe('ordering', () => {
    it('uses the model default ordering, explicit orderBy and reverse()', async () => {
      expect((await Author.objects.all()).map((a) => a.name)).toEqual(['Ann', 'Bob', 'Cid']);
      expect((await Author.objects.orderBy('-name')).map((a) => a.name)).toEqual(['Cid', 'Bob', 'Ann']);
      expect((await Author.objects.all().reverse()).map((a) => a.name)).toEqual(['Cid', 'Bob', 'Ann']);
      expect(titles(await Post.objects.orderBy('-views', 'title'))).toEqual(['c1', 'a1', 'b1', 'a2']);
    });

    it('orders through a foreign key', async () => {
      expect(titles(await Post.objects.orderBy('-author.name', 'title'))).toEqual(['c1', 'b1', 'a1', 'a2']);
    });

    it('sorts NULLs last ascending and first descending on both databases', async () => {
      expect(titles(await Post.objects.orderBy('rating'))).toEqual(['c1', 'a1', 'b1', 'a2']);
      expect(titles(await Post.objects.orderBy('-rating'))).toEqual(['a2', 'b1', 'a1', 'c1']);
      expect((await Author.objects.orderBy('age')).map((a) => a.name)).toEqual(['Ann', 'Cid', 'Bob']);
    });
  });

  describe('slicing and single rows', () => {
    it('limit, offset and slice', async () => {
      expect(titles(await Post.objects.orderBy('title').limit(2))).toEqual(['a1', 'a2']);
      expect(titles(await Post.objects.orderBy('title').offset(1))).toEqual(['a2', 'b1', 'c1']);
      expect(titles(await Post.objects.orderBy('title').slice(1, 3))).toEqual(['a2', 'b1']);
      expect(titles(await Post.objects.orderBy('title').slice(1, 3).slice(1))).toEqual(['b1']);
      expect(titles(await Post.objects.orderBy('title').limit(3).offset(2))).toEqual(['b1']);
      expect(() => Post.objects.all().slice(-1)).toThrow(OrmUsageError);
    });

    it('first() and last() order by primary key when unordered', async () => {
      expect((await Post.objects.first())?.title).toBe('a1');
      expect((await Post.objects.last())?.title).toBe('c1');
      expect((await Post.objects.orderBy('-views').first())?.title).toBe('c1');
      expect((await Post.objects.orderBy('-views').last())?.title).toBe('a2');
      expect(await Post.objects.filter({ title: 'zz' }).first()).toBeNull();
    });

    it('get() returns one row or throws the model-specific errors', async () => {
      const post = await Post.objects.get({ title: 'b1' });
      expect(post.views).toBe(2);
      const missing = Post.objects.get({ title: 'zz' });
      await expect(missing).rejects.toBeInstanceOf(Post.DoesNotExist);
      await expect(Post.objects.get({ title: 'zz' })).rejects.toBeInstanceOf(DoesNotExist);
      await expect(Post.objects.get({ title: 'zz' })).rejects.toThrow('Post matching { title: "zz" } does not exist.');
      await expect(Post.objects.get({ author: { name: 'Ann' } })).rejects.toBeInstanceOf(Post.MultipleObjectsReturned);
      await expect(Post.objects.get()).rejects.toBeInstanceOf(MultipleObjectsReturned);
      expect(Post.DoesNotExist).not.toBe(Author.DoesNotExist);
    });

    it('get() and awaiting a queryset report every failure as a rejection, never a synchronous throw', async () => {
      // The rows of a SQLite lookup are there at once; errors must still arrive through the promise.
      let pending: Promise<unknown> | undefined;
      expect(() => {
        pending = Post.objects.get({ nope: 1 } as never);
      }).not.toThrow();
      await expect(pending).rejects.toBeInstanceOf(FieldError);
      expect(() => {
        pending = Post.objects.filter({ nope: 1 } as never).then((rows) => rows);
      }).not.toThrow();
      await expect(pending).rejects.toBeInstanceOf(FieldError);
      expect(() => {
        pending = Post.objects.get({ title: 'zz' });
      }).not.toThrow();
      await expect(pending).rejects.toBeInstanceOf(Post.DoesNotExist);
    });

    it('get() narrows the queryset it is called on (filters, slice, ordering, prefetch) and runs one query', async () => {
      const ann = Post.objects.filter({ author: { name: 'Ann' } });
      expect((await ann.get({ views: 3 })).title).toBe('a1');
      await expect(ann.get({ title: 'c1' })).rejects.toBeInstanceOf(Post.DoesNotExist);
      // A slice of one row makes get() succeed where the whole set would have two.
      expect((await ann.orderBy('views').slice(0, 1).get()).title).toBe('a2');
      await expect(ann.orderBy('views').slice(0, 2).get()).rejects.toBeInstanceOf(Post.MultipleObjectsReturned);
      const post = await assertNumQueries(2, () => Post.objects.prefetchRelated('author').get({ title: 'b1' }));
      expect(post.views).toBe(2);
      // The same get() again reuses the compiled shape with the new value.
      const { queries } = await captureQueries(() => ann.get({ views: 1 }));
      expect(queries).toHaveLength(1);
      expect(queries[0]!.parameters.slice(-2)).toEqual([1, 21]);
    });

    it('count() and exists()', async () => {
      expect(await Post.objects.count()).toBe(4);
      expect(await Post.objects.filter({ author: { name: 'Ann' } }).count()).toBe(2);
      expect(await Post.objects.orderBy('title').limit(3).offset(2).count()).toBe(1);
      expect(await Post.objects.filter({ views: { gt: 4 } }).exists()).toBe(true);
      expect(await Post.objects.filter({ views: { gt: 5 } }).exists()).toBe(false);
      expect(await Author.objects.values('age').distinct().count()).toBe(3);
    });
  });

  describe('values', () => {
    it('values() returns plain objects, through foreign keys too', async () => {
      const rows = await Post.objects.filter({ title: 'c1' }).values('title', 'views', 'author.name', 'editor.name');
      expect(rows).toEqual([{ title: 'c1', views: 5, 'author.name': 'Cid', 'editor.name': 'Ann' }]);
      const all = await Author.objects.filter({ name: 'Ann' }).values();
      expect(all).toEqual([{ id: expect.any(Number), name: 'Ann', email: null, age: 31 }]);
      expect(Object.getPrototypeOf(all[0])).toBe(Object.prototype);
    });

    it('valuesList() returns tuples, or bare values with flat', async () => {
      expect(await Post.objects.orderBy('title').valuesList('title', 'views')).toEqual([['a1', 3], ['a2', 1], ['b1', 2], ['c1', 5]]);
      expect(await Post.objects.orderBy('title').valuesList('title', { flat: true })).toEqual(['a1', 'a2', 'b1', 'c1']);
      const ann = await Author.objects.get({ name: 'Ann' });
      expect(await Post.objects.filter({ title: 'a1' }).valuesList('authorId', { flat: true })).toEqual([ann.id]);
    });

    it('converts values with the field types', async () => {
      await Post.objects.filter({ title: 'a1' }).update({ publishedAt: new Date('2026-01-02T03:04:05.000Z'), price: '12.5', published: true });
      const [row] = await Post.objects.filter({ title: 'a1' }).values('publishedAt', 'price', 'published');
      expect(row).toEqual({ publishedAt: new Date('2026-01-02T03:04:05.000Z'), price: '12.50', published: true });
    });

    it('distinct() removes duplicate rows', async () => {
      expect(await Post.objects.values('author.name').distinct().orderBy('author.name')).toEqual([{ 'author.name': 'Ann' }, { 'author.name': 'Bob' }, { 'author.name': 'Cid' }]);
      expect(() => Post.objects.values('title').distinct().orderBy('views').toSql()).toThrow(OrmUsageError);
    });
  });

  describe('loading relations', () => {
    it('selectRelated() loads foreign keys in the same query', async () => {
      const posts = await assertNumQueries(1, () => Post.objects.selectRelated('author', 'editor').orderBy('title'));
      expect(posts.map((p) => p.author.name)).toEqual(['Ann', 'Ann', 'Bob', 'Cid']);
      expect(posts.map((p) => p.editor?.name ?? null)).toEqual([null, 'Bob', null, 'Ann']);
    });

    it('selectRelated() follows nested paths', async () => {
      const [profile] = await assertNumQueries(1, () => Profile.objects.selectRelated('author'));
      expect(profile!.author.name).toBe('Ann');
      expect(profile!.author.profile).toBe(profile); // the one-to-one's other side is known too
      const comments = await Comment.objects.bulkCreate([{ post: (await Post.objects.get({ title: 'c1' })), text: 'hi' }]);
      expect(comments[0]!.id).toBeTypeOf('number');
      const [comment] = await assertNumQueries(1, () => Comment.objects.selectRelated('post.author', 'post.editor'));
      expect(comment!.post.title).toBe('c1');
      expect(comment!.post.author.name).toBe('Cid');
      expect(comment!.post.editor!.name).toBe('Ann');
    });

    it('relations not loaded raise in strict mode', async () => {
      const post = await Post.objects.get({ title: 'a1' });
      expect(() => post.author).toThrow(RelationNotLoaded);
    });

    it('prefetchRelated() loads reverse and many-to-many relations with one query each', async () => {
      const [orm] = await Tag.objects.bulkCreate([{ name: 'orm' }]);
      const a1 = await Post.objects.get({ title: 'a1' });
      await a1.tags.add(orm!);
      const authors = await assertNumQueries(3, () => Author.objects.prefetchRelated('posts', 'posts.tags').orderBy('name'));
      expect(authors.map((a) => a.posts.loaded.length)).toEqual([2, 1, 1]);
      expect(authors[0]!.posts.loaded.find((p) => p.title === 'a1')!.tags.loaded.map((t) => t.name)).toEqual(['orm']);
      const published = await Author.objects.prefetchRelated(new Prefetch('posts', Post.objects.filter({ views: { gt: 2 } }))).orderBy('name');
      expect(published.map((a) => a.posts.loaded.map((p) => p.title))).toEqual([['a1'], [], ['c1']]);
    });

    it('onlyFields() and defer() load fewer columns', async () => {
      const [post] = await Post.objects.filter({ title: 'a1' }).onlyFields('title');
      expect(post!.title).toBe('a1');
      expect(post!.id).toBeTypeOf('number');
      expect(post!.views).toBeUndefined();
      const [deferred] = await Post.objects.filter({ title: 'a1' }).defer('body', 'views');
      expect(deferred!.views).toBeUndefined();
      expect(deferred!.rating).toBe(2.5);
      deferred!.title = 'a1 renamed';
      await deferred!.save();
      const reloaded = await Post.objects.get({ id: deferred!.id });
      expect([reloaded.title, reloaded.views]).toEqual(['a1 renamed', 3]);
      expect(() => Post.objects.onlyFields('nope' as never).toSql()).toThrow(FieldError);
    });
  });

  describe('writes', () => {
    it('create() returns a saved instance with its id; bulkCreate() returns ids on both databases', async () => {
      const dan = await Author.objects.create({ name: 'Dan' });
      expect(dan.id).toBeTypeOf('number');
      const many = await Author.objects.bulkCreate(Array.from({ length: 25 }, (_, i) => ({ name: `bulk${i}` })), { batchSize: 10 });
      expect(many.map((a) => a.id).every((id) => typeof id === 'number')).toBe(true);
      expect(new Set(many.map((a) => a.id)).size).toBe(25);
      const check = await Author.objects.filter({ id: { in: many.map((a) => a.id) } }).orderBy('id').valuesList('name', { flat: true });
      expect(check).toEqual(many.map((a) => a.name));
      expect(many[3]!.name).toBe('bulk3');
    });

    it('bulkCreate() with mixed explicit and generated keys', async () => {
      const explicit = Author.build({ name: 'Explicit' });
      (explicit as { id?: number }).id = 9000;
      const rows = await Author.objects.bulkCreate([explicit, { name: 'Generated' }]);
      expect(rows[0]!.id).toBe(9000);
      expect(rows[1]!.id).toBeTypeOf('number');
    });

    it('update() with values and F expressions returns the number of rows', async () => {
      const changed = await Post.objects.filter({ author: { name: 'Ann' } }).update({ views: F('views').add(10), body: 'edited' });
      expect(changed).toBe(2);
      expect(await Post.objects.orderBy('title').valuesList('views', { flat: true })).toEqual([13, 11, 2, 5]);
      expect(await Post.objects.filter({ body: 'edited' }).count()).toBe(2);
      await Post.objects.all().update({ likes: F('views').mul(2).sub(1) });
      expect(await Post.objects.orderBy('title').valuesList('likes', { flat: true })).toEqual([25, 21, 3, 9]);
      await expect(Post.objects.all().limit(1).update({ views: 0 })).rejects.toBeInstanceOf(OrmUsageError);
      // @ts-expect-error F() in update() may only read the model's own columns (also checked at run time)
      await expect(Post.objects.all().update({ views: F('author.age') })).rejects.toBeInstanceOf(FieldError);
    });

    it('update() can set a foreign key by instance and by key', async () => {
      const cid = await Author.objects.get({ name: 'Cid' });
      expect(await Post.objects.filter({ title: 'a1' }).update({ author: cid })).toBe(1);
      expect(await Post.objects.filter({ title: 'a2' }).update({ authorId: cid.id, editor: null })).toBe(1);
      expect(await Post.objects.filter({ author: cid }).count()).toBe(3);
    });

    it('bulkUpdate() writes many instances in one statement', async () => {
      const posts = await Post.objects.orderBy('title');
      posts.forEach((post, i) => {
        post.views = 100 + i;
        post.price = `${i}.5`;
        post.rating = i === 0 ? null : i;
      });
      const { result, queries } = await captureQueries(() => Post.objects.bulkUpdate(posts, ['views', 'price', 'rating']));
      expect(result).toBe(4);
      expect(queries).toHaveLength(1);
      expect(await Post.objects.orderBy('title').valuesList('views', 'price', 'rating')).toEqual([
        [100, '0.50', null],
        [101, '1.50', 1],
        [102, '2.50', 2],
        [103, '3.50', 3],
      ]);
    });

    it('delete() applies cascades and reports counts per model', async () => {
      const result = await Author.objects.filter({ name: 'Ann' }).delete();
      expect(result.total).toBe(4);
      expect(result.perModel).toEqual({ 'qs.Author': 1, 'qs.Post': 2, 'qs.Profile': 1 });
      expect(await Post.objects.filter({ editor: null }).count()).toBe(2);
      await expect(Post.objects.all().limit(1).delete()).rejects.toBeInstanceOf(OrmUsageError);
    });
  });

  describe('getOrCreate and updateOrCreate', () => {
    it('gets an existing row or creates one with defaults', async () => {
      const [tag, created] = await Tag.objects.getOrCreate({ name: 'new' });
      expect(created).toBe(true);
      const [again, createdAgain] = await Tag.objects.getOrCreate({ name: 'new' });
      expect([again.id, createdAgain]).toEqual([tag.id, false]);
      const ann = await Author.objects.get({ name: 'Ann' });
      const [post, made] = await Post.objects.getOrCreate({ title: 'gc', author: ann }, { views: 42 });
      expect([post.views, made, post.authorId]).toEqual([42, true, ann.id]);
    });

    it('is safe when concurrent calls race to create the same row', async () => {
      const results = await Promise.all(Array.from({ length: 4 }, () => Tag.objects.getOrCreate({ name: 'race' })));
      expect(results.filter(([, created]) => created)).toHaveLength(1);
      expect(new Set(results.map(([tag]) => tag.id)).size).toBe(1);
      expect(await Tag.objects.filter({ name: 'race' }).count()).toBe(1);
    });

    it('updateOrCreate updates the existing row or creates it', async () => {
      const [author, created] = await Author.objects.updateOrCreate({ name: 'Ann' }, { age: 50 });
      expect([created, author.age]).toEqual([false, 50]);
      expect((await Author.objects.get({ name: 'Ann' })).age).toBe(50);
      const [eve, made] = await Author.objects.updateOrCreate({ name: 'Eve' }, { age: 20 });
      expect([made, eve.age, typeof eve.id]).toEqual([true, 20, 'number']);
    });

    it('inside an outer transaction, a lost race does not abort the transaction', async () => {
      await atomic(async () => {
        await Tag.objects.create({ name: 'outer' });
        const results = await Promise.all([Tag.objects.getOrCreate({ name: 'inner' }), Tag.objects.getOrCreate({ name: 'inner' })]);
        expect(results.map(([, created]) => created).sort()).toEqual([false, true]);
        expect(await Tag.objects.filter({ name: 'outer' }).exists()).toBe(true);
      });
      expect(await Tag.objects.filter({ name: { in: ['outer', 'inner'] } }).count()).toBe(2);
    });
  });

  describe('iteration in chunks', () => {
    beforeEach(async () => {
      await Author.objects.bulkCreate(Array.from({ length: 23 }, (_, i) => ({ name: `it${String(i).padStart(2, '0')}`, age: i })));
    });

    it('pages by primary key when unordered, one query per chunk', async () => {
      const { result, queries } = await captureQueries(async () => {
        const names: string[] = [];
        for await (const author of Author.objects.filter({ name: { startswith: 'it' } }).orderBy('pk').iterator({ chunkSize: 10 })) names.push(author.name);
        return names;
      });
      expect(result).toHaveLength(23);
      expect(result[0]).toBe('it00');
      expect(queries).toHaveLength(3);
      expect(queries[1]!.sql).toMatch(/>/);
    });

    it('pages by offset when ordered, and respects slices', async () => {
      const names: string[] = [];
      for await (const author of Author.objects.filter({ name: { startswith: 'it' } }).orderBy('-age').iterator({ chunkSize: 5 })) names.push(author.name);
      expect(names).toHaveLength(23);
      expect(names[0]).toBe('it22');
      expect(names[22]).toBe('it00');
      const sliced: number[] = [];
      for await (const age of Author.objects.filter({ name: { startswith: 'it' } }).orderBy('age').slice(3, 15).valuesList('age', { flat: true }).iterator({ chunkSize: 4 })) sliced.push(age!);
      expect(sliced).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    });
  });

  describe('databases', () => {
    it('using() names the alias; an unknown alias is a configuration error', async () => {
      expect(await Post.objects.using('default').count()).toBe(4);
      await expect(Post.objects.using('nope').count()).rejects.toThrow(/not configured/);
    });

    it('translates constraint violations to IntegrityError', async () => {
      await Tag.create({ name: 'dup' });
      const error = await Tag.create({ name: 'dup' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IntegrityError);
      expect((error as IntegrityError).kind).toBe('unique');
    });

    it(`compiles ${db.dialect} SQL with parameters only`, () => {
      const { sql, parameters } = Post.objects.filter({ title: 'x', author: { name: 'y' } }).orderBy('author.name').limit(3).toSql();
      expect(sql).toMatch(/left join "qs_author" as "t1"/);
      expect(parameters).toEqual(expect.arrayContaining(['x', 'y', 3]));
    });
  });
}, { models: allQueryModels });
