import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Instance } from '@atrium/orm';
import {
  BooleanField,
  ChoiceField,
  ChoicesNotLoaded,
  DecimalField,
  FormInvalid,
  ModelChoiceField,
  ModelMultipleChoiceField,
  Textarea,
  fields,
  modelForm,
} from '../src/index.js';
import { captureQueries } from '@atrium/orm/testing';
import { form } from '../src/index.js';
import { Author, Post, Tag, blogModels } from './support/blog-models.js';
import { forEachDatabase } from './support/databases.js';

const PostForm = modelForm(Post, {
  fields: ['title', 'slug', 'body', 'status', 'rating', 'price', 'featured', 'publishedOn', 'author', 'editor', 'tags'],
  widgets: { body: new Textarea({ attrs: { rows: 4 } }) },
  labels: { author: 'Written by' },
});

describe('deriving form fields from a model', () => {
  const declared = PostForm.declaredFields;

  it('maps kinds, lengths, choices and required-ness', () => {
    expect(Object.keys(declared)).toEqual(['title', 'slug', 'body', 'status', 'rating', 'price', 'featured', 'publishedOn', 'author', 'editor', 'tags']);
    expect(declared['title']).toMatchObject({ required: true, maxLength: 200, helpText: 'Keep it short.', label: 'Title' });
    expect(declared['slug']).toMatchObject({ required: true, maxLength: 50 });
    expect(declared['body']).toMatchObject({ required: false });
    expect(declared['body']!.widget).toBeInstanceOf(Textarea);
    expect(declared['status']).toBeInstanceOf(ChoiceField);
    expect(declared['status']!.widgetChoices()).toEqual([
      { value: '', label: '---------' },
      { value: 'draft', label: 'Draft' },
      { value: 'live', label: 'Live' },
    ]);
    expect(declared['rating']).toMatchObject({ required: false, min: -2147483648, max: 2147483647 });
    expect(declared['price']).toBeInstanceOf(DecimalField);
    expect(declared['price']).toMatchObject({ maxDigits: 6, decimalPlaces: 2, required: false });
    expect(declared['featured']).toBeInstanceOf(BooleanField);
    expect(declared['publishedOn']).toMatchObject({ required: false, label: 'Published on' });
    expect(declared['author']).toBeInstanceOf(ModelChoiceField);
    expect(declared['author']).toMatchObject({ required: true, label: 'Written by' });
    expect(declared['editor']).toMatchObject({ required: false });
    expect(declared['tags']).toBeInstanceOf(ModelMultipleChoiceField);
    expect(declared['tags']).toMatchObject({ required: false });
  });

  it('types cleanedData from the model', () => {
    type Data = InstanceType<typeof PostForm>['cleanedData'];
    expectTypeOf<Data['title']>().toEqualTypeOf<string>();
    expectTypeOf<Data['rating']>().toEqualTypeOf<number | null>();
    expectTypeOf<Data['status']>().toEqualTypeOf<'draft' | 'live' | null>();
    expectTypeOf<Data['featured']>().toEqualTypeOf<boolean>();
    expectTypeOf<Data['author']>().toEqualTypeOf<Instance<typeof Author>>();
    expectTypeOf<Data['editor']>().toEqualTypeOf<Instance<typeof Author> | null>();
    expectTypeOf<Data['tags']>().toEqualTypeOf<Array<Instance<typeof Tag>>>();
    expectTypeOf<InstanceType<typeof PostForm>['instance']>().toEqualTypeOf<Instance<typeof Post>>();
  });

  it('exclude keeps every other editable field, leaving out generated and non-editable ones', () => {
    const Everything = modelForm(Post, { exclude: ['tags'] });
    expect(Object.keys(Everything.declaredFields)).toEqual(['title', 'slug', 'body', 'status', 'rating', 'price', 'featured', 'publishedOn', 'author', 'editor']);
    expect(Object.keys(modelForm(Tag, { fields: '__all__' }).declaredFields)).toEqual(['name']);
  });

  it('hand-declared fields replace derived ones or add new ones', () => {
    const Custom = modelForm(Author, { fields: ['name', 'email'], formFields: { name: fields.char({ maxLength: 10 }), newsletter: fields.boolean() } });
    expect(Custom.declaredFields['name']).toMatchObject({ maxLength: 10 });
    expect(Object.keys(Custom.declaredFields)).toEqual(['name', 'email', 'newsletter']);
    expectTypeOf<InstanceType<typeof Custom>['cleanedData']['newsletter']>().toEqualTypeOf<boolean>();
  });

  it('refuses unknown and non-editable field names, and a missing field list', () => {
    expect(() => modelForm(Post, { fields: ['titel' as 'title'] })).toThrow(/'titel', which is not a field of blog.Post/);
    expect(() => modelForm(Post, { fields: ['createdAt'] })).toThrow(/not editable in forms/);
    expect(() => modelForm(Post, {} as never)).toThrow(/needs 'fields'/);
  });
});

forEachDatabase(
  'model forms',
  () => {
    async function fixtures() {
      const ann = await Author.create({ name: 'Ann', email: 'ann@example.com' });
      const bob = await Author.create({ name: 'Bob', email: 'bob@example.com' });
      const news = await Tag.create({ name: 'news' });
      const tech = await Tag.create({ name: 'tech' });
      return { ann, bob, news, tech };
    }

    it('creates an object with a foreign key and many-to-many relations', async () => {
      const { ann, news, tech } = await fixtures();
      const form = new PostForm({ data: { title: ' Hello ', slug: 'hello', author: String(ann.id), tags: [String(news.id), String(tech.id)], price: '9.5', featured: 'on' } });
      expect(await form.isValid()).toBe(true);
      expect(form.cleanedData.author.id).toBe(ann.id);
      const post = await form.save();
      expect(post.id).toBeTypeOf('number');
      const saved = await Post.objects.get({ id: post.id });
      expect(saved).toMatchObject({ title: 'Hello', slug: 'hello', authorId: ann.id, editorId: null, price: '9.50', featured: true, status: 'draft', body: '' });
      expect((await saved.tags.all()).map((t) => t.name).sort()).toEqual(['news', 'tech']);
    });

    it('updates an instance, replacing its many-to-many set', async () => {
      const { ann, bob, news, tech } = await fixtures();
      const post = await Post.create({ title: 'Old', slug: 'old', author: ann, tags: [news] });
      const form = new PostForm({ instance: post, data: { title: 'New', slug: 'old', author: bob.id, editor: ann.id, tags: [tech.id], status: 'live', rating: '5' } });
      expect(await form.isValid()).toBe(true);
      expect(form.adding).toBe(false);
      await form.save();
      const saved = await Post.objects.get({ id: post.id });
      expect(saved).toMatchObject({ title: 'New', authorId: bob.id, editorId: ann.id, status: 'live', rating: 5 });
      expect((await saved.tags.all()).map((t) => t.name)).toEqual(['tech']);
      expect(await Post.objects.count()).toBe(1);
    });

    it('shows an instance in the form: values, selected related objects', async () => {
      const { ann, news } = await fixtures();
      const post = await Post.create({ title: 'Shown', slug: 'shown', author: ann, tags: [news] });
      const form = new PostForm({ instance: post });
      expect(() => form.render()).toThrow(ChoicesNotLoaded);
      await form.prepare();
      const markup = form.render().val;
      expect(markup).toContain('value="Shown"');
      expect(markup).toContain(`<option value="${ann.id}" selected>Ann</option>`);
      expect(markup).toContain(`<option value="${news.id}" selected>news</option>`);
      expect(markup).toMatch(/<select name="tags" id="id_tags" multiple>/);
      expect(markup).toContain('<option value="">---------</option>');
    });

    it('reports unknown and malformed related keys as errors, without a database error', async () => {
      await fixtures();
      const form = new PostForm({ data: { title: 'x', slug: 'x', author: '99999', tags: ['abc'] } });
      expect(await form.isValid()).toBe(false);
      expect(form.errors.get('author')[0]).toMatchObject({ code: 'invalid_choice', params: { value: '99999' } });
      expect(form.errors.get('tags')[0]).toMatchObject({ code: 'invalid_pk_value', message: '“abc” is not a valid value.' });
      const huge = new PostForm({ data: { title: 'x', slug: 'x', author: '1'.repeat(40), editor: { id: 1 } } });
      expect(await huge.isValid()).toBe(false);
      expect(huge.errors.get('author')[0]?.code).toBe('invalid_pk_value');
      expect(huge.errors.get('editor')[0]?.code).toBe('invalid_pk_value');
    });

    it('checks unique fields and unique-together sets as form errors', async () => {
      const { ann } = await fixtures();
      const AuthorForm = modelForm(Author, { fields: ['name', 'email'] });
      const duplicate = new AuthorForm({ data: { name: 'Other', email: 'ann@example.com' } });
      expect(await duplicate.isValid()).toBe(false);
      expect(duplicate.errors.get('email')).toEqual([{ code: 'unique', params: { model: 'Author', field: 'email' }, message: 'Author with this email already exists.' }]);
      // Editing the same object is not a clash with itself.
      const self = new AuthorForm({ instance: ann, data: { name: 'Ann B', email: 'ann@example.com' } });
      expect(await self.isValid()).toBe(true);

      await Post.create({ title: 'A', slug: 'same', author: ann });
      const clash = new PostForm({ data: { title: 'B', slug: 'same', author: ann.id } });
      expect(await clash.isValid()).toBe(false);
      expect(clash.nonFieldErrors()).toEqual([{ code: 'unique_together', params: { model: 'Post', fields: 'author and slug' }, message: 'Post with this author and slug already exists.' }]);
    });

    it('save({ commit: false }) lets the view finish the object, then saveManyToMany()', async () => {
      const { ann, news } = await fixtures();
      const Partial = modelForm(Post, { fields: ['title', 'slug', 'tags'] });
      const form = new Partial({ data: { title: 'Draft', slug: 'draft', tags: [news.id] } });
      expect(await form.isValid()).toBe(true);
      const post = await form.save({ commit: false });
      expect(await Post.objects.count()).toBe(0);
      post.authorId = ann.id;
      await post.save();
      await form.saveManyToMany();
      expect((await (await Post.objects.get({ id: post.id })).tags.all()).map((t) => t.name)).toEqual(['news']);
    });

    it('save() refuses an invalid or unvalidated form', async () => {
      const form = new PostForm({ data: { title: '' } });
      await expect(form.save()).rejects.toThrow(/cleanedData was read before validation/);
      await form.isValid();
      await expect(form.save()).rejects.toBeInstanceOf(FormInvalid);
    });

    it('a partial JSON body keeps model defaults for the fields it leaves out', async () => {
      const { ann } = await fixtures();
      const form = new PostForm({ data: { title: 'API', slug: 'api', author: ann.id } });
      expect(await form.isValid()).toBe(true);
      const post = await form.save();
      expect(post).toMatchObject({ status: 'draft', price: '0.00', featured: false, body: '' });
    });

    it('model choice fields run their queryset lazily, once per need, fresh for each form', async () => {
      const { queries: atDeclaration } = await captureQueries(() => form({ tag: fields.modelChoice(Tag.objects.orderBy('name')) }));
      expect(atDeclaration).toHaveLength(0);
      const TagPick = form({ tag: fields.modelChoice(Tag.objects.orderBy('name'), { choiceLabel: (t) => t.name.toUpperCase() }), more: fields.modelMultipleChoice(Tag, { required: false }) });
      const { news, tech } = await fixtures();
      const bound = new TagPick({ data: { tag: String(tech.id), more: [String(news.id), String(tech.id)] } });
      const { queries: validation } = await captureQueries(() => bound.isValid());
      expect(validation).toHaveLength(2);
      expect(bound.cleanedData.tag.name).toBe('tech');
      expect(bound.cleanedData.more.map((t) => t.name)).toEqual(['news', 'tech']);
      await Tag.create({ name: 'art' });
      const shown = await new TagPick().prepare();
      expect(shown.render().val).toMatch(/<option value="">---------<\/option>\n<option value="\d+">ART<\/option>\n<option value="\d+">NEWS<\/option>/);
      const outside = new TagPick({ data: { tag: '12345678' } });
      expect(await outside.isValid()).toBe(false);
      expect(outside.errors.get('tag')[0]?.code).toBe('invalid_choice');
    });

    it('runs the model validators the form does not know', async () => {
      const { ann } = await fixtures();
      const Commented = modelForm(Post, { fields: ['title', 'slug', 'author'], formFields: { title: fields.char() } });
      const tooLong = new Commented({ data: { title: 'x'.repeat(250), slug: 's', author: ann.id } });
      expect(await tooLong.isValid()).toBe(false);
      expect(tooLong.errors.get('title')[0]).toMatchObject({ code: 'model_invalid', message: 'Ensure this value has at most 200 characters (it has 250).' });
    });
  },
  { models: blogModels },
);
