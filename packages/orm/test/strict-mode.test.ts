import { afterEach, describe, expect, it } from 'vitest';
import { ImproperlyConfigured } from '@atrium/core';
import { f } from '../src/fields/f.js';
import { model } from '../src/model/model.js';
import { RelationNotLoaded } from '../src/errors.js';
import { assertNumQueries } from '../src/db/query-counter.js';
import { applyStrictModeSettings, isStrict, setStrictMode } from '../src/relations/strict-mode.js';
import { forEachDatabase } from './support/databases.js';

const Author = model('strict.Author', { name: f.string({ maxLength: 50 }) }, { ordering: ['id'] });
const Post = model('strict.Post', {
  title: f.string({ maxLength: 50 }),
  author: f.foreignKey(() => Author, { onDelete: 'CASCADE', relatedName: 'posts' }),
}, { ordering: ['id'] });

type Row = Record<string, any>;

describe('strict mode switch', () => {
  afterEach(() => {
    setStrictMode(null);
    applyStrictModeSettings({});
  });

  it('is on automatically under vitest', () => {
    expect(process.env['VITEST']).toBeTruthy();
    expect(isStrict()).toBe(true);
  });

  it('follows setStrictMode(), and null returns to the automatic choice', () => {
    setStrictMode(false);
    expect(isStrict()).toBe(false);
    setStrictMode(true);
    expect(isStrict()).toBe(true);
    setStrictMode(null);
    expect(isStrict()).toBe(true);
  });

  it('takes ORM_STRICT from settings over the automatic choice, and DEBUG turns it on', () => {
    applyStrictModeSettings({ DEBUG: true, ORM_STRICT: false });
    expect(isStrict()).toBe(false);
    setStrictMode(true);
    expect(isStrict()).toBe(true);
    setStrictMode(null);
    const env = { NODE_ENV: process.env['NODE_ENV'], VITEST: process.env['VITEST'] };
    try {
      delete process.env['VITEST'];
      process.env['NODE_ENV'] = 'production';
      applyStrictModeSettings({ DEBUG: false });
      expect(isStrict()).toBe(false);
      applyStrictModeSettings({ DEBUG: true });
      expect(isStrict()).toBe(true);
    } finally {
      process.env['VITEST'] = env.VITEST;
      if (env.NODE_ENV === undefined) delete process.env['NODE_ENV'];
      else process.env['NODE_ENV'] = env.NODE_ENV;
    }
  });

  it('rejects a non-boolean ORM_STRICT naming the setting', () => {
    expect(() => applyStrictModeSettings({ ORM_STRICT: 'yes' })).toThrow(ImproperlyConfigured);
    expect(() => applyStrictModeSettings({ ORM_STRICT: 'yes' })).toThrow(/ORM_STRICT must be true or false, got "yes"/);
  });
});

forEachDatabase('strict loading', () => {
  afterEach(() => setStrictMode(null));

  async function seed(n: number) {
    const authors = (await Author.objects.bulkCreate(Array.from({ length: n }, (_, i) => ({ name: `a${i}` })))) as Row[];
    const saved = (await Author.objects.all()) as Row[];
    await Post.objects.bulkCreate(saved.map((a, i) => ({ title: `p${i}`, authorId: a['id'] })) as never);
    return authors;
  }

  it('touching an unloaded foreign key throws with the model, relation and fix', async () => {
    await seed(2);
    const posts = (await Post.objects.all()) as Row[];
    expect(() => posts[0]!['author']).toThrow(RelationNotLoaded);
    expect(() => posts[0]!['author']).toThrow(
      "Relation 'author' of strict.Post is not loaded. Load it with the query (Post.objects.selectRelated('author') or Post.objects.prefetchRelated('author')), or explicitly with `await post.load('author')`.",
    );
  });

  it('load() on one of several rows from one query is refused in strict mode (N+1)', async () => {
    await seed(5);
    const posts = (await Post.objects.all()) as Row[];
    const error = await posts[2]!['load']('author').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelationNotLoaded);
    const message = (error as Error).message;
    expect(message).toContain("Relation 'author' of strict.Post is not loaded");
    expect(message).toContain('one of 5 rows');
    expect(message).toContain('N+1');
    expect(message).toContain("Post.objects.selectRelated('author') or Post.objects.prefetchRelated('author')");
    const authors = (await Author.objects.all()) as Row[];
    await expect(authors[0]!['load']('posts')).rejects.toThrow(/Author.objects.prefetchRelated\('posts'\)/);
  });

  it('load() on a row fetched alone is allowed in strict mode', async () => {
    await seed(3);
    const post = (await Post.objects.get({ title: 'p1' } as never)) as Row;
    await assertNumQueries(1, () => post['load']('author'));
    expect(post['author']['name']).toBe('a1');
  });

  it('outside strict mode, load() on one row fetches the relation for all its peers in one query', async () => {
    setStrictMode(false);
    await seed(20);
    const posts = (await Post.objects.all()) as Row[];
    await assertNumQueries(1, async () => {
      for (const post of posts) await post['load']('author');
    });
    await assertNumQueries(0, () => {
      expect(posts.map((p) => p['author']['name'])).toEqual(Array.from({ length: 20 }, (_, i) => `a${i}`));
    });
    const authors = (await Author.objects.all()) as Row[];
    await assertNumQueries(1, async () => {
      for (const author of authors) await author['load']('posts');
    });
    expect(authors.every((a) => a['posts'].loaded.length === 1)).toBe(true);
  });

  it('rows prefetched through a reverse key already know their parent: load() runs no query', async () => {
    await seed(4);
    const authors = (await Author.objects.prefetchRelated('posts')) as Row[];
    const firstPost = authors[0]!['posts'].loaded[0] as Row;
    await assertNumQueries(0, () => firstPost['load']('author'));
    expect(authors.map((a) => a['posts'].loaded[0]['author']['name'])).toEqual(['a0', 'a1', 'a2', 'a3']);
  });
}, { models: [Author, Post], isolate: true });
