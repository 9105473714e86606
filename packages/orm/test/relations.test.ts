import { afterEach, describe, expect, it } from 'vitest';
import { ImproperlyConfigured } from '@atrium/core';
import { f } from '../src/fields/f.js';
import { model } from '../src/model/model.js';
import { FieldError, OrmUsageError, RelationNotLoaded } from '../src/errors.js';
import { assertNumQueries } from '../src/db/query-counter.js';
import { getRelated, hasRelated, setRelated } from '../src/relations/relation-cache.js';
import { ensureRelations } from '../src/relations/resolve-relations.js';
import { setStrictMode } from '../src/relations/strict-mode.js';
import { forEachDatabase } from './support/databases.js';

// Post is declared before Author on purpose: targets are thunks, resolved lazily.
const Post = model('rel.Post', {
  title: f.string({ maxLength: 100 }),
  author: f.foreignKey(() => Author, { onDelete: 'CASCADE', relatedName: 'posts' }),
  editor: f.foreignKey(() => Author, { onDelete: 'SET_NULL', null: true, relatedName: 'edited' }),
}, { ordering: ['id'] });

const Author = model('rel.Author', {
  name: f.string({ maxLength: 100 }),
}, { ordering: ['name'] });

const Profile = model('rel.Profile', {
  author: f.oneToOne(() => Author, { onDelete: 'CASCADE', relatedName: 'profile' }),
  bio: f.text({ default: '' }),
});

// No relatedName: the reverse accessor is `<model>Set`.
const Bookmark = model('rel.Bookmark', {
  post: f.foreignKey(() => Post, { onDelete: 'CASCADE' }),
});

type Row = Record<string, any>;

describe('relation cache', () => {
  it('stores, reads and reports loaded relations per instance', () => {
    const post = Post.build({ title: 'x', authorId: 1 } as never) as Row;
    expect(hasRelated(post, 'author')).toBe(false);
    expect(getRelated(post, 'author')).toBeUndefined();
    setRelated(post, 'author', null);
    expect(hasRelated(post, 'author')).toBe(true);
    expect(getRelated(post, 'author')).toBeNull();
  });
});

describe('accessor installation', () => {
  it('installs reverse accessors once relations are resolved, with <model>Set as the default name', () => {
    ensureRelations();
    const author = Author.build({ name: 'a' }) as Row;
    expect(author['posts']).toBeDefined();
    expect(author['edited']).toBeDefined();
    const post = Post.build({ title: 't', authorId: 1 } as never) as Row;
    expect(typeof post['bookmarkSet'].all).toBe('function');
    expect(Object.keys(author)).not.toContain('posts');
  });

  it('refuses a related name that would hide an instance method', () => {
    const Owner = model('relclash.Owner', { name: f.string({ maxLength: 10 }) });
    model('relclash.Pet', { owner: f.foreignKey(() => Owner, { onDelete: 'CASCADE', relatedName: 'save' }) });
    expect(() => ensureRelations()).toThrow(ImproperlyConfigured);
    expect(() => ensureRelations()).toThrow(/reverse accessor of relclash.Pet.owner on relclash.Owner is named 'save'/);
    // Re-declaring the model (same label) replaces it, which clears the clash.
    model('relclash.Pet', { owner: f.foreignKey(() => Owner, { onDelete: 'CASCADE', relatedName: 'pets' }) });
    ensureRelations();
    expect(typeof (Owner.build({ name: 'o' }) as Row)['pets'].count).toBe('function');
  });
});

forEachDatabase('relations', (db) => {
  afterEach(() => setStrictMode(null));

  async function seed() {
    const ann = (await Author.create({ name: 'Ann' })) as Row;
    const bob = (await Author.create({ name: 'Bob' })) as Row;
    const p1 = (await Post.create({ title: 'one', author: ann, editor: bob } as never)) as Row;
    const p2 = (await Post.create({ title: 'two', author: ann } as never)) as Row;
    const p3 = (await Post.create({ title: 'three', author: bob } as never)) as Row;
    return { ann, bob, p1, p2, p3 };
  }

  describe('forward foreign key', () => {
    it('reads the object loaded by selectRelated without a query', async () => {
      const { ann } = await seed();
      const posts = (await Post.objects.selectRelated('author').filter({ authorId: ann['id'] } as never)) as Row[];
      await assertNumQueries(0, () => {
        expect(posts.map((p) => p['author']['name'])).toEqual(['Ann', 'Ann']);
      });
    });

    it('throws RelationNotLoaded naming the model, the relation and the fixes when not loaded', async () => {
      const { p1 } = await seed();
      const post = (await Post.objects.get({ id: p1['id'] } as never)) as Row;
      let error: unknown;
      try {
        void post['author'];
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RelationNotLoaded);
      expect((error as RelationNotLoaded).code).toBe('E_RELATION_NOT_LOADED');
      const message = (error as Error).message;
      expect(message).toContain("Relation 'author' of rel.Post is not loaded");
      expect(message).toContain("Post.objects.selectRelated('author')");
      expect(message).toContain("Post.objects.prefetchRelated('author')");
      expect(message).toContain("await post.load('author')");
    });

    it('returns null for a null key without a query or an error', async () => {
      const { p2 } = await seed();
      const post = (await Post.objects.get({ id: p2['id'] } as never)) as Row;
      await assertNumQueries(0, () => expect(post['editor']).toBeNull());
    });

    it('assigning an instance sets the key and the cache; assigning null clears both', async () => {
      const { ann, bob, p3 } = await seed();
      const post = (await Post.objects.get({ id: p3['id'] } as never)) as Row;
      post['editor'] = ann;
      expect(post['editorId']).toBe(ann['id']);
      expect(post['editor']).toBe(ann);
      await post['save']();
      const reloaded = (await Post.objects.selectRelated('editor').get({ id: p3['id'] } as never)) as Row;
      expect(reloaded['editor']['name']).toBe('Ann');
      reloaded['editor'] = null;
      expect(reloaded['editorId']).toBeNull();
      expect(reloaded['editor']).toBeNull();
      expect(() => {
        reloaded['author'] = 5;
      }).toThrow(OrmUsageError);
      expect(() => {
        reloaded['author'] = bob['posts'];
      }).toThrow(/expected a rel.Author instance/);
    });

    it('ignores a cached object once the key column points elsewhere', async () => {
      const { bob, p1 } = await seed();
      const post = (await Post.objects.selectRelated('author').get({ id: p1['id'] } as never)) as Row;
      expect(post['author']['name']).toBe('Ann');
      post['authorId'] = bob['id'];
      expect(() => post['author']).toThrow(RelationNotLoaded);
      await post['load']('author');
      expect(post['author']['name']).toBe('Bob');
    });
  });

  describe('reverse foreign key', () => {
    it('loaded throws until prefetched; all() and count() query explicitly', async () => {
      const { ann, bob } = await seed();
      expect(() => ann['posts'].loaded).toThrow(RelationNotLoaded);
      expect(() => ann['posts'].loaded).toThrow(/Relation 'posts' of rel.Author is not loaded.*Author.objects.prefetchRelated\('posts'\)/);
      const titles = ((await ann['posts'].all()) as Row[]).map((p) => p['title']);
      expect(titles).toEqual(['one', 'two']);
      expect(await ann['posts'].count()).toBe(2);
      expect(await bob['edited'].count()).toBe(1);
      const filtered = (await ann['posts'].all().filter({ title: 'two' })) as Row[];
      expect(filtered.map((p) => p['title'])).toEqual(['two']);
    });

    it('refuses to query the relation of an unsaved instance', () => {
      const author = Author.build({ name: 'new' }) as Row;
      expect(() => author['posts'].all()).toThrow(/rel.Author has no primary key yet; save\(\) it before querying its 'posts'/);
    });

    it('prefetchRelated fills loaded, and the children know their parent', async () => {
      await seed();
      const authors = (await Author.objects.prefetchRelated('posts')) as Row[];
      await assertNumQueries(0, () => {
        expect(authors.map((a) => a['posts'].loaded.map((p: Row) => p['title']))).toEqual([['one', 'two'], ['three']]);
        expect(authors[0]!['posts'].loaded[0]['author']).toBe(authors[0]);
      });
    });
  });

  describe('one-to-one', () => {
    it('reads the reverse object (or null) once loaded, and the forward side like a foreign key', async () => {
      const { ann } = await seed();
      await Profile.create({ author: ann, bio: 'hello' } as never);
      const authors = (await Author.objects.prefetchRelated('profile')) as Row[];
      expect(authors[0]!['profile']['bio']).toBe('hello');
      expect(authors[1]!['profile']).toBeNull();
      const profile = (await Profile.objects.selectRelated('author').get({ bio: 'hello' } as never)) as Row;
      expect(profile['author']['name']).toBe('Ann');
      const fresh = (await Author.objects.get({ name: 'Ann' } as never)) as Row;
      expect(() => fresh['profile']).toThrow(/Relation 'profile' of rel.Author is not loaded/);
    });

    it('assigning the forward side also fills the reverse side', async () => {
      const { bob } = await seed();
      const profile = Profile.build({ bio: 'x' } as never) as Row;
      profile['author'] = bob;
      expect(profile['authorId']).toBe(bob['id']);
      expect(bob['profile']).toBe(profile);
    });
  });

  describe('load()', () => {
    it('loads forward, reverse and nested relations of a single instance', async () => {
      const { p1 } = await seed();
      await Bookmark.create({ post: p1 } as never);
      const author = (await Author.objects.get({ name: 'Ann' } as never)) as Row;
      await assertNumQueries(2, () => author['load']('posts.bookmarkSet'));
      expect(author['posts'].loaded.map((p: Row) => p['bookmarkSet'].loaded.length)).toEqual([1, 0]);
      await assertNumQueries(0, () => author['load']('posts'));
    });

    it('names the closest relation for a typo', async () => {
      const { ann } = await seed();
      await expect(ann['load']('post')).rejects.toThrow(FieldError);
      await expect(ann['load']('post')).rejects.toThrow(/'post' is not a relation of rel.Author; did you mean 'posts'\?/);
    });
  });
}, { models: [Author, Post, Profile, Bookmark], isolate: true });
