import { describe, expect, it } from 'vitest';
import { ImproperlyConfigured } from '@atrium/core';
import { f } from '../src/fields/f.js';
import { model } from '../src/model/model.js';
import { getModel } from '../src/model/model-registry.js';
import { OrmUsageError, RelationNotLoaded } from '../src/errors.js';
import { assertNumQueries } from '../src/db/query-counter.js';
import { deleteInstances } from '../src/relations/deletion.js';
import { manyToManyLink, throughModel } from '../src/relations/many-to-many.js';
import { forEachDatabase } from './support/databases.js';

const Post = model('mm.Post', {
  title: f.string({ maxLength: 50 }),
  tags: f.manyToMany(() => Tag, { relatedName: 'posts' }),
}, { ordering: ['id'] });
const Tag = model('mm.Tag', { name: f.string({ maxLength: 50 }) }, { ordering: ['name'] });

const Person = model('mm.Person', {
  name: f.string({ maxLength: 50 }),
  friends: f.manyToMany('self', { relatedName: 'friendOf' }),
}, { ordering: ['id'] });
const Group = model('mm.Group', {
  name: f.string({ maxLength: 50 }),
  members: f.manyToMany(() => Person, { through: 'mm.Membership', relatedName: 'groups' }),
}, { ordering: ['id'] });
const Membership = model('mm.Membership', {
  person: f.foreignKey(() => Person, { onDelete: 'CASCADE', relatedName: 'memberships' }),
  group: f.foreignKey(() => Group, { onDelete: 'CASCADE', relatedName: 'memberships' }),
  role: f.string({ maxLength: 20, default: 'member' }),
  joinedAt: f.datetime({ autoNowAdd: true }),
}, { uniqueTogether: [['person', 'group']] });

type Row = Record<string, any>;

describe('join models', () => {
  it('auto-creates a registered join model: label, table, keys, unique together', () => {
    const through = throughModel(Post.fields.tags);
    expect(getModel('mm.Post_tags')).toBe(through);
    expect(through.meta.autoCreatedFor).toBe(Post.fields.tags);
    expect(through.meta.table).toBe('mm_post_tags');
    expect(through.meta.columnFields.map((field) => field.column)).toEqual(['id', 'post_id', 'tag_id']);
    expect(through.meta.foreignKeys.map((fk) => [fk.name, fk.target.name, fk.onDelete])).toEqual([
      ['post', 'mm.Post', 'CASCADE'],
      ['tag', 'mm.Tag', 'CASCADE'],
    ]);
    expect(through.meta.constraints).toEqual([{ kind: 'unique', name: 'mm_post_tags_post_tag_uniq', fields: ['post', 'tag'] }]);
    expect(throughModel(Post.fields.tags)).toBe(through);
  });

  it('names the keys of a self-referential join model from/to', () => {
    const link = manyToManyLink(Person.fields.friends);
    expect([link.sourceField.column, link.targetField.column]).toEqual(['from_person_id', 'to_person_id']);
  });

  it('uses the given through model and finds its two keys', () => {
    const link = manyToManyLink(Group.fields.members);
    expect(link.autoCreated).toBe(false);
    expect(link.through).toBe(Membership);
    expect([link.sourceField.name, link.targetField.name]).toEqual(['group', 'person']);
  });

  it('rejects a through model without a key to each side', () => {
    const Bad = model('mmbad.Bad', { other: f.integer() });
    const Holder = model('mmbad.Holder', { items: f.manyToMany('self', { through: () => Bad }) });
    expect(() => manyToManyLink(Holder.fields.items)).toThrow(ImproperlyConfigured);
    expect(() => manyToManyLink(Holder.fields.items)).toThrow(/through model mmbad.Bad of mmbad.Holder.items needs a foreign key/);
    // Replace the broken declaration so the rest of the file resolves relations normally.
    model('mmbad.Holder', { name: f.string({ maxLength: 5 }) });
  });
});

forEachDatabase('many-to-many', (db) => {
  async function seed() {
    const post = (await Post.create({ title: 'hello' })) as Row;
    const other = (await Post.create({ title: 'other' })) as Row;
    await Tag.objects.bulkCreate([{ name: 'orm' }, { name: 'sql' }, { name: 'web' }]);
    const [orm, sql, web] = (await Tag.objects.all()) as Row[];
    return { post, other, orm: orm!, sql: sql!, web: web! };
  }
  const names = async (related: Row) => ((await related['all']()) as Row[]).map((row) => row['name'] ?? row['title']);

  it('add() links instances or keys and is idempotent', async () => {
    const { post, orm, sql } = await seed();
    await post['tags'].add(orm, sql['id']);
    await post['tags'].add(orm);
    await post['tags'].add();
    expect(await names(post['tags'])).toEqual(['orm', 'sql']);
    expect(await post['tags'].count()).toBe(2);
    expect(await throughModel(Post.fields.tags).objects.count()).toBe(2);
    expect(await assertNumQueries(1, () => post['tags'].add(orm, sql))).toBeUndefined();
  });

  it('remove(), set() and clear() change only this instance\'s links', async () => {
    const { post, other, orm, sql, web } = await seed();
    await post['tags'].add(orm, sql, web);
    await other['tags'].add(orm);
    await post['tags'].remove(sql);
    expect(await names(post['tags'])).toEqual(['orm', 'web']);
    await post['tags'].set([sql, web]);
    expect(await names(post['tags'])).toEqual(['sql', 'web']);
    await post['tags'].clear();
    expect(await post['tags'].count()).toBe(0);
    expect(await names(other['tags'])).toEqual(['orm']);
  });

  it('works from the reverse side too', async () => {
    const { post, other, web } = await seed();
    await web['posts'].add(post, other);
    expect(await names(web['posts'])).toEqual(['hello', 'other']);
    expect(await names(post['tags'])).toEqual(['web']);
    await web['posts'].remove(other);
    expect(await web['posts'].count()).toBe(1);
  });

  it('loaded reads the prefetched list; add() makes it stale, so it must be reloaded', async () => {
    const { post, orm } = await seed();
    const fresh = (await Post.objects.get({ id: post['id'] } as never)) as Row;
    expect(() => fresh['tags'].loaded).toThrow(RelationNotLoaded);
    await fresh['load']('tags');
    expect(fresh['tags'].loaded).toEqual([]);
    await fresh['tags'].add(orm);
    expect(() => fresh['tags'].loaded).toThrow(RelationNotLoaded);
    await fresh['load']('tags');
    expect(fresh['tags'].loaded.map((t: Row) => t['name'])).toEqual(['orm']);
  });

  it('refuses unsaved instances and objects of the wrong model', async () => {
    const { post, orm } = await seed();
    await expect(post['tags'].add(Tag.build({ name: 'new' }))).rejects.toThrow(/has no primary key yet; save\(\) it first/);
    await expect(post['tags'].add(post)).rejects.toThrow(OrmUsageError);
    await expect(post['tags'].add(post)).rejects.toThrow(/expects mm.Tag instances or keys/);
    await expect((Post.build({ title: 'unsaved' }) as Row)['tags'].add(orm)).rejects.toThrow(/mm.Post has no primary key yet/);
  });

  it('filters through the relation', async () => {
    const { post, other, orm, sql } = await seed();
    await post['tags'].add(orm, sql);
    await other['tags'].add(sql);
    const withOrm = (await Post.objects.filter({ tags: { name: 'orm' } })) as Row[];
    expect(withOrm.map((p) => p['title'])).toEqual(['hello']);
    const withSql = (await Post.objects.filter({ tags: { name: 'sql' } })) as Row[];
    expect(withSql.map((p) => p['title'])).toEqual(['hello', 'other']);
    const tagsOfOther = (await Tag.objects.filter({ posts: { title: 'other' } })) as Row[];
    expect(tagsOfOther.map((t) => t['name'])).toEqual(['sql']);
  });

  it('a custom through model gets its defaults and autoNowAdd on add(), and its rows can be queried', async () => {
    const ann = (await Person.create({ name: 'ann' })) as Row;
    const bob = (await Person.create({ name: 'bob' })) as Row;
    const club = (await Group.create({ name: 'club' })) as Row;
    await club['members'].add(ann, bob);
    expect(await names(club['members'])).toEqual(['ann', 'bob']);
    expect(await names(ann['groups'])).toEqual(['club']);
    const memberships = (await Membership.objects.all()) as Row[];
    expect(memberships.map((m) => m['role'])).toEqual(['member', 'member']);
    expect(memberships.every((m) => m['joinedAt'] instanceof Date)).toBe(true);
    await club['members'].add(ann);
    expect(await Membership.objects.count()).toBe(2);
    const groups = (await Group.objects.prefetchRelated('members')) as Row[];
    expect(groups[0]!['members'].loaded.map((p: Row) => p['name'])).toEqual(['ann', 'bob']);
  });

  it('self-referential links go one way (from -> to)', async () => {
    const ann = (await Person.create({ name: 'ann' })) as Row;
    const bob = (await Person.create({ name: 'bob' })) as Row;
    await ann['friends'].add(bob);
    expect(await names(ann['friends'])).toEqual(['bob']);
    expect(await names(bob['friendOf'])).toEqual(['ann']);
    expect(await bob['friends'].count()).toBe(0);
  });

  it('deleting a row removes its links on both sides', async () => {
    const { post, other, orm, sql } = await seed();
    await post['tags'].add(orm, sql);
    await other['tags'].add(orm);
    const result = await deleteInstances(Tag, [orm['id']], 'default');
    expect(result.perModel).toEqual({ 'mm.Tag': 1, 'mm.Post_tags': 2 });
    expect(await names(post['tags'])).toEqual(['sql']);
    expect((await deleteInstances(Post, [post['id']], 'default')).perModel).toEqual({ 'mm.Post': 1, 'mm.Post_tags': 1 });
  });
}, { models: [Post, Tag, Person, Group, Membership], isolate: true });
