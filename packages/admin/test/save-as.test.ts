import { beforeAll, expect, it } from 'vitest';
import type { TestClient } from '@atrium/core/testing';
import { AdminOptionError, AdminSite, LogEntry, TabularInline } from '../src/index.js';
import { Author, Category, Comment, Post } from './support/blog.js';
import { forEachDatabase } from './support/databases.js';
import { adminClient, csrfOf } from './support/site.js';

const site = new AdminSite();
site.register(Author, { str: (a) => a.name });
site.register(Post, {
  fields: ['title', 'slug', 'author', 'status'],
  str: (p) => p.title,
  saveAs: true,
  saveOnTop: true,
  prepopulatedFields: { slug: ['title'] },
  inlines: [new TabularInline({ model: Comment, fields: ['text'], extra: 1, str: (c) => c.text })],
});

let client: TestClient;
beforeAll(async () => {
  client = (await adminClient(site)).client;
});
const as = (user: string) => ({ headers: { 'x-test-user': user } });

forEachDatabase(
  'admin save as new, save on top, prepopulated fields',
  () => {
    it('describes prepopulated fields for the script on the add page only', async () => {
      const add = await (await client.get('/admin/blog/post/add/', as('super'))).text();
      expect(add).toContain('data-prepopulated="[{&quot;field&quot;:&quot;id_slug&quot;,&quot;from&quot;:[&quot;id_title&quot;],&quot;maxLength&quot;:50}]"');
      const ann = await Author.create({ name: 'Ann', email: 'a@example.com' });
      const post = await Post.create({ title: 'T', slug: 't', author: ann });
      const change = await (await client.get(`/admin/blog/post/${post.id}/change/`, as('super'))).text();
      expect(change).not.toContain('data-prepopulated');
    });

    it('shows the save buttons twice with saveOnTop and "Save as new" only to users who may add', async () => {
      const ann = await Author.create({ name: 'Ann', email: 'a@example.com' });
      const post = await Post.create({ title: 'T', slug: 't', author: ann });
      const page = await (await client.get(`/admin/blog/post/${post.id}/change/`, as('super'))).text();
      expect(page.match(/class="submit-row"/g)).toHaveLength(2);
      expect(page).toContain('name="_saveasnew"');
      const add = await (await client.get('/admin/blog/post/add/', as('super'))).text();
      expect(add).not.toContain('_saveasnew');
      const viewer = await (await client.get(`/admin/blog/post/${post.id}/change/`, as('viewer'))).text();
      expect(viewer).not.toContain('_saveasnew');
    });

    it('saves a copy with its inline rows, leaving the original untouched', async () => {
      const ann = await Author.create({ name: 'Ann', email: 'a@example.com' });
      const post = await Post.create({ title: 'Original', slug: 'original', author: ann });
      const comment = await Comment.create({ post, text: 'first' });
      const url = `/admin/blog/post/${post.id}/change/`;
      const token = csrfOf(await (await client.get(url, as('super'))).text());
      const res = await client.post(url, {
        ...as('super'),
        form: {
          csrfmiddlewaretoken: token, title: 'Copy', slug: 'copy', author: String(ann.id), status: 'draft', _saveasnew: 'Save as new',
          'comments-TOTAL_FORMS': '2', 'comments-INITIAL_FORMS': '1', 'comments-0-id': String(comment.id), 'comments-0-text': 'first (copy)', 'comments-1-text': 'added',
        },
      });
      expect(res.status).toBe(302);
      const copy = await Post.objects.get({ slug: 'copy' });
      expect(copy.id).not.toBe(post.id);
      expect(res.headers.get('location')).toBe(`/admin/blog/post/${copy.id}/change/`);
      expect((await Post.objects.get({ id: post.id })).title).toBe('Original');
      expect((await Comment.objects.filter({ post: post.id })).map((c) => c.text)).toEqual(['first']);
      expect((await Comment.objects.filter({ post: copy.id }).orderBy('id')).map((c) => c.text)).toEqual(['first (copy)', 'added']);
      expect((await LogEntry.objects.get({ objectId: String(copy.id) })).actionFlag).toBe(1);
      // A user who may not add cannot save as new.
      const refused = await client.post(url, { ...as('viewer'), form: { csrfmiddlewaretoken: token, title: 'X', slug: 'x', author: String(ann.id), status: 'draft', _saveasnew: '1' } });
      expect(refused.status).toBe(403);
      expect(await Post.objects.filter({ slug: 'x' }).count()).toBe(0);
    });

    it('checks prepopulatedFields at registration', () => {
      expect(() => new AdminSite().register(Post, { prepopulatedFields: { slug: ['nope' as 'title'] } })).toThrow(AdminOptionError);
      expect(() => new AdminSite().register(Post, { prepopulatedFields: { author: ['title'] } })).toThrow(/author/);
      expect(() => new AdminSite().register(Post, { prepopulatedFields: { slug: [] } })).toThrow(/title|list/);
      void Category;
    });
  },
  { models: [Author, Category, Post, Comment, LogEntry] },
);
