import { describe, expect, it } from 'vitest';
import { inlineFormset } from '../src/index.js';
import { Author, Comment, Post, blogModels } from './support/blog-models.js';
import { forEachDatabase } from './support/databases.js';

const Comments = inlineFormset(Post, Comment, { fields: ['text', 'score'], extra: 1, canDelete: true });

function management(total: number, initial: number): Record<string, string> {
  return { 'comments-TOTAL_FORMS': String(total), 'comments-INITIAL_FORMS': String(initial) };
}

describe('declaring inline formsets', () => {
  it('finds the foreign key, or asks for it', () => {
    expect(() => inlineFormset(Author, Post)).toThrow(/several foreign keys to blog.Author \(author, editor\); pass \{ fk: '<name>' \}/);
    expect(() => inlineFormset(Author, Comment)).toThrow(/has no foreign key to blog.Author/);
    expect(() => inlineFormset(Author, Post, { fk: 'tags' })).toThrow(/'tags' is not a foreign key/);
    expect(() => inlineFormset(Author, Post, { fk: 'editor', fields: ['title', 'slug'] })).not.toThrow();
  });
});

forEachDatabase(
  'inline formsets',
  () => {
    async function post() {
      const ann = await Author.create({ name: 'Ann', email: 'ann@example.com' });
      const parent = await Post.create({ title: 'P', slug: 'p', author: ann });
      const first = await Comment.create({ post: parent, text: 'first', score: 1 });
      const second = await Comment.create({ post: parent, text: 'second', score: 2 });
      return { parent, first, second };
    }

    it('shows the existing children plus extra forms, keys in hidden fields', async () => {
      const { parent, first, second } = await post();
      const inline = await Comments.forInstance(parent);
      expect(inline.prefix).toBe('comments');
      expect(inline.forms).toHaveLength(3);
      const markup = inline.render().val;
      expect(markup).toContain('name="comments-TOTAL_FORMS" value="3"');
      expect(markup).toContain('name="comments-INITIAL_FORMS" value="2"');
      expect(markup).toContain(`<input type="hidden" name="comments-0-id" value="${first.id}" id="id_comments-0-id">`);
      expect(markup).toContain(`<input type="hidden" name="comments-1-id" value="${second.id}" id="id_comments-1-id">`);
      expect(markup).toContain('name="comments-1-text" value="second"');
      expect(markup).not.toContain('name="comments-2-id"');
      expect(markup).not.toContain('name="comments-0-post"');
    });

    it('updates, creates and deletes children in one save', async () => {
      const { parent, first, second } = await post();
      const data = {
        ...management(3, 2),
        'comments-0-id': String(second.id),
        'comments-0-text': 'second, edited',
        'comments-0-score': '20',
        'comments-1-id': String(first.id),
        'comments-1-text': 'first',
        'comments-1-score': '1',
        'comments-1-DELETE': 'on',
        'comments-2-text': 'third',
        'comments-2-score': '',
      };
      const inline = new Comments({ instance: parent, objects: await Comment.objects.filter({ post: parent.id }).orderBy('id'), data });
      expect(await inline.isValid()).toBe(true);
      const saved = await inline.save();
      expect(saved.map((c) => c.text)).toEqual(['second, edited', 'third']);
      expect(inline.deletedObjects.map((c) => c.text)).toEqual(['first']);
      expect(await Comment.objects.filter({ id: first.id }).count()).toBe(0);
      const rows = await Comment.objects.filter({ post: parent.id }).orderBy('id');
      expect(rows.map((c) => [c.text, c.score])).toEqual([
        ['second, edited', 20],
        ['third', 0],
      ]);
    });

    it('an unchanged child is not written; an untouched extra form is ignored', async () => {
      const { parent, first, second } = await post();
      const data = {
        ...management(3, 2),
        'comments-0-id': String(first.id),
        'comments-0-text': 'first',
        'comments-0-score': '1',
        'comments-1-id': String(second.id),
        'comments-1-text': 'second',
        'comments-1-score': '2',
        // What a browser sends for the untouched extra row: its fields as shown (the default score).
        'comments-2-text': '',
        'comments-2-score': '0',
      };
      const inline = new Comments({ instance: parent, objects: [first, second], data });
      const valid = await inline.isValid();
      expect(inline.errors.map((e) => e.toJSON())).toEqual([{}, {}, {}]);
      expect(valid).toBe(true);
      expect(await inline.save()).toEqual([]);
      expect(await Comment.objects.count()).toBe(2);
    });

    it("refuses a key that is not one of this parent's children", async () => {
      const { parent, first } = await post();
      const other = await Post.create({ title: 'Q', slug: 'q', authorId: parent.authorId });
      const foreign = await Comment.create({ post: other, text: 'not yours', score: 0 });
      const data = { ...management(1, 1), 'comments-0-id': String(foreign.id), 'comments-0-text': 'stolen', 'comments-0-score': '1' };
      const inline = new Comments({ instance: parent, objects: [first], data });
      expect(await inline.isValid()).toBe(false);
      expect(inline.errors[0]!.get('id')[0]?.code).toBe('invalid_choice');
      await expect(inline.save()).rejects.toThrow(/invalid/);
      expect((await Comment.objects.get({ id: foreign.id })).text).toBe('not yours');
    });

    it('a new parent has no children and its extra forms attach to it once saved', async () => {
      const ann = await Author.create({ name: 'Ann', email: 'a2@example.com' });
      const parent = Post.build({ title: 'New', slug: 'new', author: ann });
      const data = { ...management(1, 0), 'comments-0-text': 'hello', 'comments-0-score': '3' };
      const inline = new Comments({ instance: parent, data });
      expect(await inline.isValid()).toBe(true);
      await expect(inline.save()).rejects.toThrow(/needs a saved parent/);
      await parent.save();
      const [created] = await inline.save();
      expect(created).toMatchObject({ postId: parent.id, text: 'hello', score: 3 });
    });
  },
  { models: blogModels },
);
