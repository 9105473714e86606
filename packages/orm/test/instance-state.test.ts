// Instance bookkeeping and hydration internals: generated instance
// constructors, the state shared by the rows of one result (copied on first
// use), the relation cache held by the state, and bulkCreate()'s shared
// state. What users see must not change: each instance behaves as if it had
// its own state from the start.
import { beforeEach, describe, expect, it } from 'vitest';
import { InstanceState, STATE, stateOf } from '../src/model/instance-state.js';
import { captureQueries } from '../src/db/query-counter.js';
import { instanceConstructor } from '../src/query/instance-factory.js';
import { isStrict, setStrictMode } from '../src/relations/strict-mode.js';
import { forEachDatabase } from './support/databases.js';
import { allQueryModels, Author, Post } from './query-models.js';

describe('InstanceState as a relation cache', () => {
  it('holds one relation in place and more in a map, with Map semantics', () => {
    const state = new InstanceState('default', false);
    expect(state.relations.has('author')).toBe(false);
    expect(state.relations.get('author')).toBeUndefined();
    state.relations.set('author', null);
    expect(state.relations.has('author')).toBe(true);
    expect(state.relations.get('author')).toBeNull();
    state.relations.set('editor', 'e').set('tags', ['t']);
    state.relations.set('author', 'a');
    expect([state.relations.get('author'), state.relations.get('editor'), state.relations.get('tags')]).toEqual(['a', 'e', ['t']]);
    expect(state.relations.delete('author')).toBe(true);
    expect(state.relations.delete('author')).toBe(false);
    expect(state.relations.has('author')).toBe(false);
    expect(state.relations.get('editor')).toBe('e');
    state.relations.set('author', 'again');
    expect(state.relations.get('author')).toBe('again');
    state.relations.clear();
    expect(['author', 'editor', 'tags'].some((name) => state.relations.has(name))).toBe(false);
  });

  it('refuses to cache relations on a state shared by several rows', () => {
    expect(() => new InstanceState('default', false, true).relations.set('author', null)).toThrow(/shared instance state/);
  });
});

describe('generated instance constructors', () => {
  it('quote keys and property names, whatever characters they hold', () => {
    const [title, views] = [Post.meta.fieldMap.get('title')!, Post.meta.fieldMap.get('views')!];
    const odd = ['quote"d', "single'quote", 'back\\slash', 'line\u2028separator', '${template}'];
    const columns = odd.map((name, i) => ({ key: `k_${name}`, attname: name, field: i % 2 === 0 ? title : views, convert: i % 2 === 1 }));
    const Create = instanceConstructor(Post, columns);
    const row = Object.fromEntries(odd.map((name, i) => [`k_${name}`, i % 2 === 1 ? i : `v${i}`]));
    const instance = new Create(row, new InstanceState('default', false), 'sqlite');
    expect(odd.map((name) => instance[name])).toEqual(['v0', 1, 'v2', 3, 'v4']);
    expect(Object.getPrototypeOf(instance)).toBe(Post.prototype);
    const blank = new Create(null, new InstanceState('default', true), 'sqlite');
    expect(Object.keys(blank)).toEqual(odd);
    expect(odd.every((name) => blank[name] === undefined)).toBe(true);
    // One constructor per column list.
    expect(instanceConstructor(Post, columns.map((c) => ({ ...c })))).toBe(Create);
  });
});

forEachDatabase('instance state', (db) => {
  beforeEach(async () => {
    await db.flush();
    const ann = await Author.create({ name: 'Ann', age: 31 });
    await Post.objects.bulkCreate([
      { title: 'p1', author: ann, views: 1 },
      { title: 'p2', author: ann, views: 2 },
      { title: 'p3', author: ann, views: 3 },
    ]);
  });

  it('gives each loaded row its own state on first use, keeping the peers', async () => {
    const posts = await Post.objects.all();
    const shared = (posts[0] as unknown as Record<symbol, InstanceState>)[STATE]!;
    expect(shared.shared).toBe(true);
    expect((posts[1] as unknown as Record<symbol, InstanceState>)[STATE]).toBe(shared);
    const first = stateOf(posts[0]!);
    expect(first.shared).toBe(false);
    expect(stateOf(posts[0]!)).toBe(first);
    expect(first.peers).toBe(shared.peers);
    expect(first.peers).toEqual(posts);
    first.db = 'elsewhere';
    expect(stateOf(posts[1]!).db).toBe(db.alias);
    const single = await Post.objects.get({ title: 'p2' });
    expect(stateOf(single).peers).toBeNull();
    expect(stateOf(single).adding).toBe(false);
  });

  it('loads a relation for all peers at once, each keeping its own cache', async () => {
    const posts = await Post.objects.all();
    // Out of strict mode, load() on one row fetches for all of its peers.
    const strict = isStrict();
    setStrictMode(false);
    try {
      const { queries } = await captureQueries(() => posts[0]!.load('author'));
      expect(queries).toHaveLength(1);
    } finally {
      setStrictMode(strict);
    }
    expect(posts.map((post) => post.author.name)).toEqual(['Ann', 'Ann', 'Ann']);
    const bob = await Author.create({ name: 'Bob', age: null });
    // Assigning through the accessor (typed read-only on loaded rows) caches on that row only.
    (posts[1] as unknown as { author: unknown }).author = bob;
    expect(posts.map((post) => post.author.name)).toEqual(['Ann', 'Bob', 'Ann']);
  });

  it('marks the instances bulkCreate() built as saved, including those that own a state', async () => {
    const ann = await Author.objects.get({ name: 'Ann' });
    const created = await Post.objects.bulkCreate([{ title: 'q1', author: ann.id }, { title: 'q2', author: ann }, { title: 'q3', author: ann.id }]);
    for (const post of created) {
      expect(stateOf(post).adding).toBe(false);
      expect(stateOf(post).db).toBe(db.alias);
      expect(typeof post.id).toBe('number');
    }
    // q2 was given an Author instance: its relation is cached on its own state.
    expect(created[1]!.author).toBe(ann);
    created[2]!.views = 9;
    await created[2]!.save();
    expect((await Post.objects.get({ title: 'q3' })).views).toBe(9);
    expect(await Post.objects.filter({ title: { startswith: 'q' } }).count()).toBe(3);
  });

  it('saves with one UPDATE per column set, writing what the instance holds', async () => {
    const post = await Post.objects.get({ title: 'p1' });
    post.views = 10;
    post.published = true;
    const { queries } = await captureQueries(() => post.save());
    expect(queries).toHaveLength(1);
    expect(queries[0]!.sql).toMatch(/^update /);
    const again = await Post.objects.get({ title: 'p1' });
    expect([again.views, again.published, again.title]).toEqual([10, true, 'p1']);
    again.title = 'renamed';
    again.views = 99;
    await again.save({ updateFields: ['title'] });
    const stored = await Post.objects.get({ id: again.id });
    expect([stored.title, stored.views]).toEqual(['renamed', 10]);
    const partial = await Post.objects.onlyFields('title').get({ id: again.id });
    partial.title = 'partial';
    await partial.save();
    const afterPartial = await Post.objects.get({ id: again.id });
    expect([afterPartial.title, afterPartial.views, afterPartial.published]).toEqual(['partial', 10, true]);
  });
}, { models: () => allQueryModels });
