// The compile cache (query/compile-cache.ts, query/query-shape.ts): a
// queryset shape is compiled once, later querysets of the same shape only
// fill in their values. These tests check that reuse never changes a
// result: same SQL for the same shape, different SQL where the values shape
// the SQL, conversions still applied, errors still raised.
import { beforeEach, describe, expect, it } from 'vitest';
import { FieldError, OrmUsageError } from '../src/errors.js';
import { captureQueries, queryCount } from '../src/db/query-counter.js';
import { F } from '../src/query/expressions.js';
import { Q } from '../src/query/q.js';
import { f } from '../src/fields/f.js';
import { model } from '../src/model/model.js';
import { createTables } from '../src/schema/create-tables.js';
import { connection } from '../src/db/connections.js';
import { compileCached } from '../src/query/compile-cache.js';
import { compileSelect } from '../src/query/compile-select.js';
import { shapeOf } from '../src/query/query-shape.js';
import { initialState, type QueryState } from '../src/query/query-state.js';
import { forEachDatabase } from './support/databases.js';
import { allQueryModels, Author, Post, Profile, Tag } from './query-models.js';

/** The SQL and parameters of every statement `fn` runs. */
async function statements(fn: () => Promise<unknown>): Promise<Array<{ sql: string; parameters: readonly unknown[] }>> {
  const { queries } = await captureQueries(fn);
  return queries.map(({ sql, parameters }) => ({ sql, parameters }));
}

forEachDatabase('compile cache', (db) => {
  let ann: { id: number };
  let bob: { id: number };
  beforeEach(async () => {
    await db.flush();
    ann = await Author.create({ name: 'Ann', age: 31 });
    bob = await Author.create({ name: 'Bob', age: null });
    await Post.objects.bulkCreate([
      { title: 'p1', author: ann.id, views: 1, published: true, publishedAt: new Date('2026-01-01T10:00:00Z'), rating: 4 },
      { title: 'p2', author: ann.id, views: 2, published: false, publishedAt: new Date('2026-02-01T10:00:00Z'), rating: null },
      { title: 'p3', author: bob.id, views: 3, published: true, publishedAt: null, rating: 2 },
      { title: 'p4', author: bob.id, views: 4, published: false, publishedAt: new Date('2026-03-01T10:00:00Z'), rating: 5 },
    ]);
  });
  const titles = (rows: ReadonlyArray<{ title: string }>): string[] => rows.map((row) => row.title);

  it('compiles a shape once and runs it with each queryset values', async () => {
    const [first, second] = [
      await statements(() => Post.objects.filter({ views: { gte: 2 } }).then(() => undefined)),
      await statements(() => Post.objects.filter({ views: { gte: 4 } }).then(() => undefined)),
    ];
    expect(first[0]!.sql).toBe(second[0]!.sql);
    expect(first[0]!.parameters).toEqual([2]);
    expect(second[0]!.parameters).toEqual([4]);
    expect(titles(await Post.objects.filter({ views: { gte: 2 } }))).toEqual(['p2', 'p3', 'p4']);
    expect(titles(await Post.objects.filter({ views: { gte: 4 } }))).toEqual(['p4']);
  });

  it('converts cached values with the field (booleans, dates, foreign keys)', async () => {
    expect(titles(await Post.objects.filter({ published: true }))).toEqual(['p1', 'p3']);
    expect(titles(await Post.objects.filter({ published: false }))).toEqual(['p2', 'p4']);
    expect(titles(await Post.objects.filter({ publishedAt: { gte: new Date('2026-02-01T00:00:00Z') } }))).toEqual(['p2', 'p4']);
    expect(titles(await Post.objects.filter({ publishedAt: { gte: new Date('2026-03-01T00:00:00Z') } }))).toEqual(['p4']);
    expect(titles(await Post.objects.filter({ publishedAt: { year: 2026, month: 2 } }))).toEqual(['p2']);
    expect(titles(await Post.objects.filter({ publishedAt: { year: 2026, month: 3 } }))).toEqual(['p4']);
    expect(titles(await Post.objects.filter({ author: ann.id }))).toEqual(['p1', 'p2']);
    expect(titles(await Post.objects.filter({ author: bob.id }))).toEqual(['p3', 'p4']);
    expect(titles(await Post.objects.filter({ author: { name: 'Bob' } }))).toEqual(['p3', 'p4']);
    expect(titles(await Post.objects.filter({ author: { name: 'Ann' } }))).toEqual(['p1', 'p2']);
  });

  it('gives values that shape the SQL their own compilation (null, isnull, list lengths)', async () => {
    const isNull = await statements(() => Post.objects.filter({ rating: null }).then(() => undefined));
    const equals = await statements(() => Post.objects.filter({ rating: 4 }).then(() => undefined));
    expect(isNull[0]!.sql).not.toBe(equals[0]!.sql);
    expect(titles(await Post.objects.filter({ rating: null }))).toEqual(['p2']);
    expect(titles(await Post.objects.filter({ rating: 4 }))).toEqual(['p1']);
    expect(titles(await Post.objects.filter({ rating: { isnull: false } }))).toEqual(['p1', 'p3', 'p4']);
    expect(titles(await Post.objects.filter({ rating: { isnull: true } }))).toEqual(['p2']);
    expect(titles(await Post.objects.filter({ views: { in: [1, 3] } }))).toEqual(['p1', 'p3']);
    expect(titles(await Post.objects.filter({ views: { in: [4] } }))).toEqual(['p4']);
    expect(titles(await Post.objects.filter({ views: { in: [2, 4] } }))).toEqual(['p2', 'p4']);
    expect(titles(await Post.objects.filter({ views: { in: [] } }))).toEqual([]);
    expect(titles(await Post.objects.filter({ views: { range: [2, 3] } }))).toEqual(['p2', 'p3']);
    expect(titles(await Post.objects.filter(Q.or({ views: 1 }, { views: 4 })))).toEqual(['p1', 'p4']);
    expect(titles(await Post.objects.filter(Q.or({ views: 2 }, { views: 3 })))).toEqual(['p2', 'p3']);
    expect(titles(await Post.objects.exclude({ views: { lt: 3 } }))).toEqual(['p3', 'p4']);
  });

  it('passes LIMIT and OFFSET as values, so pages share one compilation', async () => {
    const page = (start: number) => Post.objects.orderBy('views').slice(start, start + 2);
    const [one, two] = [await statements(() => page(0).then(() => undefined)), await statements(() => page(1).then(() => undefined))];
    expect(one[0]!.sql).not.toBe(two[0]!.sql); // OFFSET 0 is left out
    const [three] = [await statements(() => page(2).then(() => undefined))];
    expect(three[0]!.sql).toBe(two[0]!.sql);
    expect(titles(await page(0))).toEqual(['p1', 'p2']);
    expect(titles(await page(1))).toEqual(['p2', 'p3']);
    expect(titles(await page(2))).toEqual(['p3', 'p4']);
    const first = await Post.objects.get({ title: 'p3' });
    expect((await Post.objects.get({ id: first.id })).title).toBe('p3');
    expect(await Post.objects.filter({ views: { gt: 1 } }).count()).toBe(3);
    expect(await Post.objects.filter({ views: { gt: 3 } }).count()).toBe(1);
    expect(await Post.objects.filter({ views: { gt: 3 } }).exists()).toBe(true);
    expect(await Post.objects.filter({ views: { gt: 4 } }).exists()).toBe(false);
  });

  it('still runs the forms it does not cache (text lookups, F(), instances, values())', async () => {
    expect(titles(await Post.objects.filter({ title: { icontains: 'P1' } }))).toEqual(['p1']);
    expect(titles(await Post.objects.filter({ title: { startswith: 'p' }, views: { gt: F('likes') } }))).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(titles(await Post.objects.filter({ author: ann as never }))).toEqual(['p1', 'p2']);
    expect(await Post.objects.filter({ views: { lte: 2 } }).valuesList('title', { flat: true })).toEqual(['p1', 'p2']);
    expect(await Post.objects.filter({ views: { lte: 1 } }).valuesList('title', { flat: true })).toEqual(['p1']);
    expect((await Post.objects.filter({ views: 3 }).selectRelated('author'))[0]!.author.name).toBe('Bob');
    expect((await Post.objects.filter({ views: 1 }).selectRelated('author'))[0]!.author.name).toBe('Ann');
  });

  it('raises the same errors for a cached shape with bad values', async () => {
    await Post.objects.filter({ views: { in: [1] } });
    await expect(Post.objects.filter({ views: { in: 5 as never } }).then(() => null)).rejects.toThrow(OrmUsageError);
    await expect(Post.objects.filter({ views: { range: [1] as never } }).then(() => null)).rejects.toThrow(/needs \[low, high\]/);
    await expect(Post.objects.filter({ views: undefined as never }).then(() => null)).rejects.toThrow(/undefined/);
    // Untrusted keys cannot imitate another shape's key.
    await expect(Post.objects.filter({ '2:id=?': 1 } as never).then(() => null)).rejects.toThrow(FieldError);
    expect(titles(await Post.objects.filter({ views: { in: [2] } }))).toEqual(['p2']);
  });

  it('calls the compiler once per shape, and every time for uncached forms', () => {
    let compiles = 0;
    const compile = (state: QueryState, slots?: Parameters<typeof compileSelect>[3]) => {
      compiles++;
      return { query: compileSelect(state, connection().kysely, db.dialect, slots).query, extra: null };
    };
    const stateWith = (...where: QueryState['where']): QueryState => ({ ...initialState(Post), where });
    // A shape no other test uses, so the cache starts without it.
    const one = compileCached('select', stateWith({ likes: { gte: 1 }, rating: { lt: 9 } }), db.dialect, compile);
    const three = compileCached('select', stateWith({ likes: { gte: 3 }, rating: { lt: 7 } }), db.dialect, compile);
    expect(compiles).toBe(1);
    expect(three.sql).toBe(one.sql);
    expect([one.parameters, three.parameters]).toEqual([
      [1, 9],
      [3, 7],
    ]);
    compileCached('select', stateWith({ title: { icontains: 'a' } }), db.dialect, compile);
    compileCached('select', stateWith({ title: { icontains: 'b' } }), db.dialect, compile);
    expect(compiles).toBe(3);
  });

  it('keys a plain state as the step-by-step walk would, and apart from states with ordering or flags', () => {
    const plain = shapeOf('select', { ...initialState(Post), where: [{ id: 1 }] }, 'sqlite', false);
    expect(plain?.key).toBe('6:select6:sqlite{2:id=?}|o*|r|n*|d|');
    expect(plain?.values).toEqual([1]);
    const distinct = shapeOf('select', { ...initialState(Post), where: [{ id: 1 }], distinct: true }, 'sqlite', false);
    expect(distinct?.key).toBe('6:select6:sqlite{2:id=?}|o*|r|n*|d|D');
    // get()'s extra conditions and LIMIT give the key of the narrowed state.
    const narrowed = shapeOf('select', initialState(Post), 'sqlite', false, [{ id: 1 }], 21);
    expect(narrowed?.key).toBe(`${plain!.key}L`);
    expect(narrowed?.values).toEqual([1, 21]);
  });

  it('compiles get() on a unique field without a LIMIT, and keeps LIMIT 21 where more rows can match', async () => {
    const post = (await Post.objects.filter({ title: 'p1' }).first())!;
    const [pk] = await statements(() => Post.objects.get({ id: post.id }));
    expect(pk!.sql).not.toMatch(/limit/i);
    expect(pk!.parameters).toEqual([post.id]);
    const [alias] = await statements(() => Post.objects.get({ pk: post.id }));
    expect(alias!.sql).toBe(pk!.sql);
    await Tag.create({ name: 'orm' });
    const [unique] = await statements(() => Tag.objects.get({ name: 'orm' }));
    expect(unique!.sql).not.toMatch(/limit/i);
    expect(unique!.parameters).toEqual(['orm']);
    const [filtered] = await statements(() => Post.objects.filter({ id: post.id }).get());
    expect(filtered!.sql).not.toMatch(/limit/i);
    // Not unique, or narrowed further: the LIMIT stays, and MultipleObjectsReturned still counts the rows.
    const [views] = await statements(() => Post.objects.get({ views: 1 }));
    expect(views!.sql).toMatch(/limit/i);
    const [both] = await statements(() => Post.objects.get({ id: post.id, views: 1 }));
    expect(both!.sql).toMatch(/limit/i);
    const [sliced] = await statements(() => Post.objects.all().limit(5).get({ id: post.id }));
    expect(sliced!.sql).toMatch(/limit/i);
    await expect(Post.objects.get({ author: ann.id })).rejects.toThrow(/get\(\) returned more than one Post matching \{ author: \d+ \} \(2\)/);
    await expect(Post.objects.get({ id: { in: [post.id, post.id + 1] } })).rejects.toBeInstanceOf(Post.MultipleObjectsReturned);
    await expect(Tag.objects.get({ name: 'none' })).rejects.toBeInstanceOf(Tag.DoesNotExist);
    expect((await Tag.objects.get({ name: 'orm' })).name).toBe('orm');
  });

  it('marks primary-key and unique lookups as one-row queries, and nothing else', async () => {
    // The plans fetch.ts keeps with a select shape: these shapes are shared with the queries below.
    const compile = (state: QueryState, slots?: Parameters<typeof compileSelect>[3]) => {
      const { query, hydration, values } = compileSelect(state, connection().kysely, db.dialect, slots);
      return { query, extra: { hydration, values } };
    };
    const oneRow = (state: Partial<QueryState>): boolean => {
      const full = { ...initialState(Post), ...state };
      compileCached('select', full, db.dialect, compile); // the first run compiles the shape
      return compileCached('select', full, db.dialect, compile).oneRow;
    };
    expect(oneRow({ where: [{ id: 1 }] })).toBe(true);
    expect(oneRow({ where: [{ pk: 1 }], limit: 21 })).toBe(true);
    expect(oneRow({ where: [{ id: { in: [1, 2] } }] })).toBe(false);
    expect(oneRow({ where: [{ views: 1 }] })).toBe(false);
    expect(oneRow({ where: [{ id: 1, views: 1 }] })).toBe(false);
    expect(oneRow({ where: [{ id: 1 }], selectRelated: ['author'] })).toBe(false);
    expect(oneRow({ where: [{ id: 1 }], projection: { kind: 'values', fields: ['title', 'author.name'] } })).toBe(false);
    expect(oneRow({ where: [{ title: 'p1' }] })).toBe(false);
    expect(oneRow({ where: [{ author: 1 }] })).toBe(false);
    expect(oneRow({ model: Tag, where: [{ name: 'orm' }] })).toBe(true);
    expect(oneRow({ model: Tag, where: [{ name: null }] })).toBe(false);
    expect(oneRow({ model: Profile, where: [{ author: 1 }] })).toBe(true);
    // Through the queryset: same rows as before, missing rows still DoesNotExist.
    const first = await Post.objects.filter({ title: 'p1' }).first();
    expect((await Post.objects.get({ pk: first!.id })).title).toBe('p1');
    expect(await Post.objects.filter({ id: first!.id })).toHaveLength(1);
    await expect(Post.objects.get({ id: -1 })).rejects.toBeInstanceOf(Post.DoesNotExist);
  });

  it('runs repeated get() calls of one queryset with each call own value, converted, after the state own values', async () => {
    const posts = await Post.objects.orderBy('views');
    const [p1, p2, p3] = posts;
    // Repeated calls on the manager's state (the usual `Model.objects.get({ id })`): same SQL, each id its own.
    const runs = await statements(async () => {
      for (const post of posts) expect((await Post.objects.get({ id: post.id })).title).toBe(post.title);
      expect((await Post.objects.get({ pk: p2!.id })).title).toBe('p2');
    });
    expect(new Set(runs.map((run) => run.sql)).size).toBe(1);
    expect(runs.map((run) => run.parameters)).toEqual([...posts.map((post) => [post.id]), [p2!.id]]);
    // A string id is converted by the field as on the first run; a missing one is still DoesNotExist.
    expect((await Post.objects.get({ id: String(p3!.id) as never })).title).toBe('p3');
    await expect(Post.objects.get({ id: -5 })).rejects.toThrow(/Post matching \{ id: -5 \} does not exist/);
    // One queryset reused: its own filter values stay, before the get() value.
    const published = Post.objects.filter({ published: true });
    const kept = await statements(async () => {
      expect((await published.get({ id: p1!.id })).title).toBe('p1');
      expect((await published.get({ id: p3!.id })).title).toBe('p3');
      await expect(published.get({ id: p2!.id })).rejects.toBeInstanceOf(Post.DoesNotExist);
    });
    const flag = db.dialect === 'sqlite' ? 1 : true;
    // Two conditions: not a unique lookup, so the LIMIT 21 is a value too.
    expect(kept.map((run) => run.parameters)).toEqual([
      [flag, p1!.id, 21],
      [flag, p3!.id, 21],
      [flag, p2!.id, 21],
    ]);
    // Not unique: LIMIT 21 stays on every call, and MultipleObjectsReturned counts the rows.
    const byAuthor = Post.objects.filter({ published: false });
    await expect(byAuthor.get({ author: ann.id })).resolves.toMatchObject({ title: 'p2' });
    await expect(byAuthor.get({ author: ann.id })).resolves.toMatchObject({ title: 'p2' });
    await Post.create({ title: 'p5', author: ann.id, views: 5 } as never);
    await expect(byAuthor.get({ author: ann.id })).rejects.toThrow(/get\(\) returned more than one Post matching \{ published: false \} and \{ author: \d+ \} \(2\)/);
  });

  it('reads a Date of the queryset own filter on every get() call', async () => {
    const since = new Date('2026-01-15T00:00:00Z');
    const recent = Post.objects.filter({ publishedAt: { gte: since } });
    const p2 = await Post.objects.get({ title: 'p2' });
    expect((await recent.get({ id: p2.id })).title).toBe('p2');
    expect((await recent.get({ id: p2.id })).title).toBe('p2');
    // The caller changed the Date it filtered with: the next call uses the new value, as an uncached one would.
    since.setUTCFullYear(2027);
    await expect(recent.get({ id: p2.id })).rejects.toBeInstanceOf(Post.DoesNotExist);
  });

  it('counts every cached run as one query', async () => {
    const before = queryCount();
    await Post.objects.filter({ views: 1 });
    await Post.objects.filter({ views: 2 });
    expect(queryCount() - before).toBe(2);
  });

  describe('after a new model is declared', () => {
    it('compiles shapes again, so new reverse relations resolve', async () => {
      // One model per engine block: the registry is shared by the whole file.
      const suffix = db.dialect === 'sqlite' ? 'Lite' : 'Pg';
      const related = `reviews${suffix}`;
      await expect(Author.objects.filter({ [related]: { stars: 5 } } as never).then(() => null)).rejects.toThrow(FieldError);
      const Review = model(`qs.Review${suffix}`, { author: f.foreignKey(() => Author, { onDelete: 'CASCADE', relatedName: related }), stars: f.integer() });
      await createTables([Review]);
      await Review.create({ author: ann.id, stars: 5 } as never);
      const names = (rows: ReadonlyArray<{ name: string }>) => rows.map((row) => row.name);
      expect(names(await Author.objects.filter({ [related]: { stars: 5 } } as never))).toEqual(['Ann']);
      expect(names(await Author.objects.filter({ [related]: { stars: 4 } } as never))).toEqual([]);
    });
  });
}, { models: () => allQueryModels });
