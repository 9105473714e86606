import { beforeAll, expect, it } from 'vitest';
import type { TestClient } from '@atrium/core/testing';
import { f, model } from '@atrium/orm';
import { AdminSite, LogEntry } from '../src/index.js';
import { Author, Category, Comment, Post } from './support/blog.js';
import { forEachDatabase } from './support/databases.js';
import { adminClient, csrfOf } from './support/site.js';

// 'code' is unique in the database but left off the form: the form cannot check it, the database refuses.
const Tag = model('blog.Tag', { name: f.string({ maxLength: 30 }), code: f.string({ maxLength: 10, unique: true, default: 'x' }) });

const site = new AdminSite();
site.register(Author, { str: (a) => a.name });
site.register(Post, { listFilter: ['publishedOn', 'category'], searchFields: ['title'], listDisplay: ['title', 'publishedOn'] });
site.register(Tag, { fields: ['name'] });

let client: TestClient;
beforeAll(async () => {
  client = (await adminClient(site)).client;
});
const as = (user: string) => ({ headers: { 'x-test-user': user } });

forEachDatabase(
  'hostile input',
  () => {
    it('re-renders hostile values in every field escaped, never a 500', async () => {
      await Author.create({ name: 'Ann', email: 'a@example.com' });
      const page = await (await client.get('/admin/blog/post/add/', as('super'))).text();
      const hostile = {
        csrfmiddlewaretoken: csrfOf(page),
        title: `<script>alert(1)</script>${'x'.repeat(300)}`,
        slug: '"><img src=x onerror=alert(1)>',
        body: '<script>b()</script>',
        status: '__proto__',
        featured: 'constructor',
        publishedOn: '2026-13-45<script>',
        author: '1 OR 1=1',
        category: '<script>',
        __proto__: 'x',
      };
      const res = await client.post('/admin/blog/post/add/', { ...as('super'), form: hostile });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('Please correct the errors below.');
      expect(html).not.toMatch(/<script>(alert|b\()/);
      expect(html).not.toContain('<img src=x');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).toContain('&lt;script&gt;b()&lt;/script&gt;</textarea>');
      expect(await Post.objects.count()).toBe(0);
    });

    it('filters by date ranges and foreign keys, ignoring invalid values', async () => {
      const ann = await Author.create({ name: 'Ann', email: 'a@example.com' });
      const today = new Date().toISOString().slice(0, 10);
      await Post.create({ title: 'Today', slug: 'today', author: ann, publishedOn: today });
      await Post.create({ title: 'Long ago', slug: 'ago', author: ann, publishedOn: '2001-01-01' });
      await Post.create({ title: 'Undated', slug: 'undated', author: ann });
      const get = async (query: Record<string, string>) => (await client.get('/admin/blog/post/', { ...as('super'), query })).text();
      const todays = await get({ publishedOn: 'today' });
      expect(todays).toContain('1 result ');
      expect(todays).toContain(`<td>${today}</td>`);
      expect(await get({ publishedOn: 'none' })).toContain('>Undated</a>');
      expect(await get({ publishedOn: 'year' })).toContain('1 result ');
      expect(await get({ publishedOn: '2001' })).toContain('3 posts');
      expect(await get({ category: 'none' })).toContain('3 posts');
      expect(await get({ category: '1; drop table blog_post' })).toContain('3 posts');
    });

    it('shows a database refusal on save as a form error, not a 500', async () => {
      const add = async () => {
        const page = await (await client.get('/admin/blog/tag/add/', as('super'))).text();
        return client.post('/admin/blog/tag/add/', { ...as('super'), form: { csrfmiddlewaretoken: csrfOf(page), name: 'news' } });
      };
      expect((await add()).status).toBe(302);
      const refused = await add();
      expect(refused.status).toBe(200);
      expect(await refused.text()).toContain('The tag could not be saved:');
      expect(await Tag.objects.count()).toBe(1);
    });
  },
  { models: [Author, Category, Post, Comment, Tag, LogEntry] },
);
