import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DoesNotExist, FieldError, OrmUsageError, ValidationError } from '../src/errors.js';
import { f } from '../src/fields/f.js';
import { model } from '../src/model/model.js';
import { signals } from '../src/signals.js';
import { forEachDatabase } from './support/databases.js';
import { allQueryModels, Author, Post, Tag } from './query-models.js';

const Product = model('inst.Product', {
  sku: f.string({ maxLength: 10, unique: true }),
  name: f.string({ maxLength: 20 }),
  shop: f.string({ maxLength: 20, default: 'main' }),
  price: f.decimal({ maxDigits: 6, decimalPlaces: 2 }),
  tags: f.json<string[], { default: () => string[] }>({ default: () => [] }),
}, {
  uniqueTogether: [['shop', 'name']],
  clean: (product) => (product['price'] === '0.00' ? { price: ['Free products are not allowed.'] } : undefined),
});

forEachDatabase('instances', (db) => {
  beforeEach(() => db.flush());
  afterEach(() => {
    signals.preSave.clear();
    signals.postSave.clear();
    signals.preDelete.clear();
    signals.postDelete.clear();
  });

  describe('build and save', () => {
    it('build() makes an unsaved instance with defaults; save() inserts then updates', async () => {
      const ann = await Author.create({ name: 'Ann' });
      const post = Post.build({ title: 'Draft', author: ann });
      expect(post.id).toBeUndefined();
      expect(post.pk).toBeUndefined();
      expect([post.views, post.body, post.status, post.rating, post.authorId]).toEqual([0, '', 'draft', null, ann.id]);
      expect(post.author).toBe(ann);
      await post.save();
      expect(post.id).toBeTypeOf('number');
      expect(post.pk).toBe(post.id);
      post.title = 'Published';
      await post.save();
      expect(await Post.objects.count()).toBe(1);
      expect((await Post.objects.get({ id: post.id })).title).toBe('Published');
    });

    it('accepts a foreign key as <name>Id and refuses unknown fields', async () => {
      const ann = await Author.create({ name: 'Ann' });
      const post = await Post.create({ title: 'By id', authorId: ann.id });
      expect(post.authorId).toBe(ann.id);
      expect(() => Post.build({ title: 'x', author: ann, titel: 'y' } as never)).toThrow(FieldError);
      expect(() => Post.build({ title: 'x', author: ann, titel: 'y' } as never)).toThrow(/did you mean 'title'/);
    });

    it('sets autoNowAdd once and autoNow on every save', async () => {
      const ann = await Author.create({ name: 'Ann' });
      const before = Date.now();
      const post = await Post.create({ title: 't', author: ann });
      expect(post.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1);
      expect(post.updatedAt.getTime()).toBeGreaterThanOrEqual(before - 1);
      const created = post.createdAt.getTime();
      await new Promise((resolve) => setTimeout(resolve, 15));
      await post.save();
      expect(post.createdAt.getTime()).toBe(created);
      expect(post.updatedAt.getTime()).toBeGreaterThan(created);
      const stored = await Post.objects.get({ id: post.id });
      expect(stored.updatedAt.getTime()).toBe(post.updatedAt.getTime());
      expect(stored.createdAt.getTime()).toBe(created);
    });

    it('save({ updateFields }) writes only those columns', async () => {
      const ann = await Author.create({ name: 'Ann', age: 1 });
      const copy = await Author.objects.get({ id: ann.id });
      copy.age = 99;
      await copy.save();
      ann.name = 'Anna';
      await ann.save({ updateFields: ['name'] });
      expect(await Author.objects.filter({ id: ann.id }).values('name', 'age')).toEqual([{ name: 'Anna', age: 99 }]);
      await expect(ann.save({ updateFields: ['nmae'] })).rejects.toThrow(/did you mean 'name'/);
    });

    it('create() sets many-to-many values after the insert', async () => {
      const ann = await Author.create({ name: 'Ann' });
      const [orm, web] = await Tag.objects.bulkCreate([{ name: 'orm' }, { name: 'web' }]);
      const post = await Post.create({ title: 'tagged', author: ann, tags: [orm!, web!.id] });
      expect((await post.tags.all()).map((t) => t.name)).toEqual(['orm', 'web']);
    });

    it('saving an instance whose row is gone inserts it again', async () => {
      const ann = await Author.create({ name: 'Ann' });
      await Author.objects.filter({ id: ann.id }).delete();
      await ann.save();
      expect(await Author.objects.filter({ id: ann.id }).count()).toBe(1);
    });
  });

  describe('delete and refresh', () => {
    it('delete() removes the row with its cascades and forgets the generated key', async () => {
      const ann = await Author.create({ name: 'Ann' });
      await Post.create({ title: 'p', author: ann });
      await ann.delete();
      expect(ann.id).toBeUndefined();
      expect(await Post.objects.count()).toBe(0);
      await expect(ann.delete()).rejects.toBeInstanceOf(OrmUsageError);
      await ann.save();
      expect(ann.id).toBeTypeOf('number');
    });

    it('refreshFromDb() reloads column values', async () => {
      const ann = await Author.create({ name: 'Ann', age: 3 });
      await Author.objects.filter({ id: ann.id }).update({ age: 4, name: 'Anne' });
      await ann.refreshFromDb();
      expect([ann.name, ann.age]).toEqual(['Anne', 4]);
      await Author.objects.filter({ id: ann.id }).delete();
      await expect(ann.refreshFromDb()).rejects.toBeInstanceOf(DoesNotExist);
    });
  });

  describe('signals', () => {
    it('pre/post save receivers run with the created flag, and can change the instance', async () => {
      const calls: string[] = [];
      signals.preSave.connect(Author, (author, { created }) => {
        calls.push(`pre ${author.name} ${created}`);
        author.name = author.name.trim();
      });
      const off = signals.postSave.connect(Author, (author, { created, using }) => {
        calls.push(`post ${author.name} ${created} ${using} ${typeof author.id}`);
      });
      const ann = await Author.create({ name: '  Ann ' });
      expect(ann.name).toBe('Ann');
      await ann.save();
      off();
      await ann.save();
      await Tag.create({ name: 'other model' });
      expect(calls).toEqual(['pre   Ann  true', 'post Ann true default number', 'pre Ann false', 'post Ann false default number', 'pre Ann false']);
    });

    it('a failing pre-save receiver stops the save', async () => {
      signals.preSave.connect(Tag, () => {
        throw new Error('no tags today');
      });
      await expect(Tag.create({ name: 'x' })).rejects.toThrow('no tags today');
      expect(await Tag.objects.count()).toBe(0);
    });

    it('delete signals run for instance.delete() and QuerySet.delete()', async () => {
      const seen: string[] = [];
      signals.preDelete.connect(Author, (author) => {
        seen.push(`pre ${author.name}`);
      });
      signals.postDelete.connect(Author, (author) => {
        seen.push(`post ${author.name}`);
      });
      const ann = await Author.create({ name: 'Ann' });
      await Author.create({ name: 'Bob' });
      await ann.delete();
      await Author.objects.filter({ name: 'Bob' }).delete();
      expect(seen).toEqual(['pre Ann', 'post Ann', 'pre Bob', 'post Bob']);
      expect(signals.preDelete.disconnect(Author, () => undefined)).toBe(false);
    });
  });

  describe('fullClean', () => {
    it('collects field errors, unique and unique-together clashes and the model clean()', async () => {
      await Product.create({ sku: 'A1', name: 'Lamp', price: '10.00' });
      const product = Product.build({ sku: 'A1', name: 'Lamp', price: '0.00' });
      const error = await product.fullClean().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors).toEqual({
        sku: ['Product with this sku already exists.'],
        __all__: ['Product with this shop and name already exists.'],
        price: ['Free products are not allowed.'],
      });
      const bad = Product.build({ sku: 'B'.repeat(11), name: 'Desk', price: '1.234' });
      const errors = ((await bad.fullClean().catch((e: unknown) => e)) as ValidationError).errors;
      expect(Object.keys(errors).sort()).toEqual(['price', 'sku']);
      await expect(bad.fullClean({ exclude: ['sku', 'price'] })).resolves.toBeUndefined();
    });

    it('does not report a saved row as clashing with itself', async () => {
      const lamp = await Product.create({ sku: 'A1', name: 'Lamp', price: '10.00' });
      await expect(lamp.fullClean()).resolves.toBeUndefined();
      const missing = Product.build({ name: 'x', price: '1.00' } as never);
      expect(((await missing.fullClean().catch((e: unknown) => e)) as ValidationError).errors['sku']).toEqual(['This field cannot be null.']);
    });
  });

  describe('serialisation', () => {
    it('toJSON() gives column values; methods and relations stay off the object', async () => {
      const ann = await Author.create({ name: 'Ann', email: 'a@example.com' });
      const post = await Post.create({ title: 'j', author: ann, price: '1.50', data: { tags: ['x'] } });
      const json = JSON.parse(JSON.stringify(post)) as Record<string, unknown>;
      expect(json).toMatchObject({ id: post.id, title: 'j', authorId: ann.id, price: '1.50', data: { tags: ['x'] }, editorId: null });
      expect(json).not.toHaveProperty('author');
      expect(Object.keys(ann)).toEqual(['id', 'name', 'email', 'age']);
      expect(ann.toJSON()).toEqual({ id: ann.id, name: 'Ann', email: 'a@example.com', age: null });
    });

    it('toJSON() leaves deferred columns out and keeps annotations and other own values', async () => {
      const ann = await Author.create({ name: 'Ann', email: 'a@example.com', age: 40 });
      const partial = (await Author.objects.filter({ id: ann.id }).onlyFields('name'))[0]!;
      expect(partial.toJSON()).toEqual({ id: ann.id, name: 'Ann' });
      const annotated = Object.assign(partial, { score: 7n });
      expect(annotated.toJSON()).toEqual({ id: ann.id, name: 'Ann', score: '7' });
    });

    it('toJSON() of loaded rows (the generated fast path) matches the general one: order, bigints, unset columns, other own values', async () => {
      const ann = await Author.create({ name: 'Ann', email: null, age: 3 });
      const [first, second] = [await Author.objects.get({ id: ann.id }), await Author.objects.get({ id: ann.id })];
      const plain = { id: ann.id, name: 'Ann', email: null, age: 3 };
      expect(JSON.stringify([first, second])).toBe(JSON.stringify([plain, plain]));
      expect(Object.keys(first.toJSON())).toEqual(['id', 'name', 'email', 'age']);
      // A bigint value is written as its decimal string; an unset column is left out; extra own values follow the columns.
      expect(Object.assign(first, { age: 9007199254740993n }).toJSON()).toEqual({ ...plain, age: '9007199254740993' });
      (second as { name?: string }).name = undefined;
      expect(second.toJSON()).toEqual({ id: ann.id, email: null, age: 3 });
      const third = Object.assign(await Author.objects.get({ id: ann.id }), { note: 'x' });
      expect(Object.keys(third.toJSON())).toEqual(['id', 'name', 'email', 'age', 'note']);
      expect(Author.build({ name: 'Bob' }).toJSON()).not.toHaveProperty('id');
      // The prototype's method is the model's own from the first call on, and stays a non-enumerable method.
      expect(Object.keys(first)).not.toContain('toJSON');
    });
  });
}, { models: [...allQueryModels, Product] });
