import { expect, it } from 'vitest';
import { forEachDatabase } from './support/databases.js';
import { Author, Post, Tag, allQueryModels } from './query-models.js';
import { Count, F, Sum } from '../src/query/expressions.js';
import { Q } from '../src/query/q.js';

forEachDatabase('smoke', () => {
  it('works', async () => {
    const ann = await Author.objects.create({ name: 'Ann' });
    const bob = await Author.create({ name: 'Bob', age: 30 });
    const t = await Tag.create({ name: 'orm' });
    const p1 = await Post.objects.create({ title: 'Hello 100%', author: ann, price: '1.10', tags: [t] });
    await Post.objects.create({ title: 'World_x', authorId: bob.id, views: 5, price: '2.25' });
    expect(p1.id).toBeTypeOf('number');
    const rows = await Post.objects.filter({ title: { icontains: '100%' } });
    expect(rows.map((p) => p.title)).toEqual(['Hello 100%']);
    expect(await Post.objects.filter({ author: { name: 'Bob' } }).count()).toBe(1);
    expect(await Author.objects.filter({ posts: { views: { gt: 1 } } }).valuesList('name', { flat: true })).toEqual(['Bob']);
    expect(await Post.objects.filter(Q.or({ views: 5 }, { title: { startswith: 'Hell' } })).count()).toBe(2);
    const agg = await Post.objects.aggregate({ total: Sum('price'), n: Count() });
    expect(agg).toEqual({ total: '3.35', n: 2 });
    const annotated = await Author.objects.annotate({ n: Count('posts') }).orderBy('name');
    expect(annotated.map((a) => [a.name, a.n])).toEqual([['Ann', 1], ['Bob', 1]]);
    await Post.objects.filter({ id: p1.id }).update({ views: F('views').add(10) });
    const reloaded = await Post.objects.selectRelated('author').get({ id: p1.id });
    expect(reloaded.views).toBe(10);
    expect(reloaded.author.name).toBe('Ann');
    expect(await Post.objects.filter({ tags: { name: 'orm' } }).count()).toBe(1);
    const del = await Author.objects.filter({ name: 'Bob' }).delete();
    expect(del.total).toBe(2);
  });
}, { models: allQueryModels });
