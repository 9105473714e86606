import { beforeAll, expect, it } from 'vitest';
import type { TestClient } from '@atrium/core/testing';
import { f, model } from '@atrium/orm';
import { AdminOptionError, AdminSite, LogEntry } from '../src/index.js';
import { userOf } from '../src/user-of.js';
import { Author, Category, Comment, Post } from './support/blog.js';
import { forEachDatabase } from './support/databases.js';
import { adminClient, csrfOf } from './support/site.js';

const Tag = model('shop.Tag', { name: f.string({ maxLength: 50 }) }, { ordering: ['name'] });
const Product = model('shop.Product', { name: f.string({ maxLength: 50 }), tags: f.manyToMany(() => Tag, { relatedName: 'products', blank: true }) });

const site = new AdminSite();
// Authors named 'secret…' are hidden from everyone but superusers (getQueryset applies to autocomplete too).
site.register(Author, { str: (a) => a.name, searchFields: ['^name', 'email'], getQueryset: (request, qs) => (userOf(request).isSuperuser ? qs : qs.exclude({ name: { startswith: 'secret' } })) });
site.register(Category, { str: (c) => c.name });
site.register(Post, { fields: ['title', 'slug', 'author', 'category', 'status'], autocompleteFields: ['author', 'category'], str: (p) => p.title });
site.register(Tag, { searchFields: ['name'], str: (t) => t.name });
site.register(Product, { autocompleteFields: ['tags'], str: (p) => p.name });
// Comment's post: the Post admin has no searchFields, so this endpoint is refused (admin.E040).
site.register(Comment, { autocompleteFields: ['post'] });

let client: TestClient;
beforeAll(async () => {
  client = (await adminClient(site)).client;
});
const as = (user: string) => ({ headers: { 'x-test-user': user } });
const endpoint = '/admin/autocomplete/';

async function lookup(user: string, query: Record<string, string>) {
  const res = await client.get(endpoint, { ...as(user), query });
  return { status: res.status, body: res.status === 200 ? ((await res.json()) as { results: Array<{ id: string; text: string }>; pagination: { more: boolean } }) : null };
}

forEachDatabase(
  'admin autocomplete',
  () => {
    it('searches the target admin, 20 a page, with its getQueryset', async () => {
      for (let i = 0; i < 25; i++) await Author.create({ name: `Ann ${String(i).padStart(2, '0')}`, email: `a${i}@example.com` });
      await Author.create({ name: 'Bob', email: 'bob@example.com' });
      await Author.create({ name: 'secret agent', email: 's@example.com' });
      const first = await lookup('super', { app: 'blog', model: 'post', field: 'author', term: 'ann' });
      expect(first.status).toBe(200);
      expect(first.body!.results).toHaveLength(20);
      expect(first.body!.results[0]!.text).toBe('Ann 00');
      expect(first.body!.pagination.more).toBe(true);
      const second = await lookup('super', { app: 'blog', model: 'post', field: 'author', term: 'ann', page: '2' });
      expect(second.body!.results.map((r) => r.text)).toEqual(['Ann 20', 'Ann 21', 'Ann 22', 'Ann 23', 'Ann 24']);
      expect(second.body!.pagination.more).toBe(false);
      const bob = await lookup('viewer', { app: 'blog', model: 'post', field: 'author', term: 'bob@' });
      expect(bob.body!.results).toEqual([{ id: expect.any(String), text: 'Bob' }]);
      expect((await lookup('super', { app: 'blog', model: 'post', field: 'author', term: 'secret' })).body!.results).toHaveLength(1);
      expect((await lookup('viewer', { app: 'blog', model: 'post', field: 'author', term: 'secret' })).body!.results).toHaveLength(0);
    });

    it('refuses without view permission on the target, for fields not autocompleted, and targets without searchFields', async () => {
      expect((await lookup('nobody', { app: 'blog', model: 'post', field: 'author', term: 'a' })).status).toBe(403);
      const anonymous = await client.get(endpoint, { query: { app: 'blog', model: 'post', field: 'author' } });
      expect(anonymous.status).toBe(302);
      expect((await client.get(endpoint, { ...as('member'), query: { app: 'blog', model: 'post', field: 'author' } })).status).toBe(302);
      expect((await lookup('super', { app: 'blog', model: 'post', field: 'title' })).status).toBe(403);
      expect((await lookup('super', { app: 'blog', model: 'post', field: 'category' })).status).toBe(403); // Category has no searchFields
      expect((await lookup('super', { app: 'blog', model: 'comment', field: 'post' })).status).toBe(403); // Post has no searchFields
      expect((await lookup('super', { app: 'blog', model: 'nothing', field: 'author' })).status).toBe(403);
      expect((await lookup('super', {})).status).toBe(403);
    });

    it('survives hostile parameters: escaped JSON, never a 500', async () => {
      await Author.create({ name: '<b>Eve</b> "quotes" \'%_', email: 'eve@example.com' });
      for (const term of ["'; DROP TABLE blog_author; --", '%', '_', '\\', '\u0000', 'x'.repeat(5000), '<script>']) {
        const res = await lookup('super', { app: 'blog', model: 'post', field: 'author', term });
        expect(res.status, term.slice(0, 20)).toBe(200);
      }
      for (const page of ['abc', '-1', '0', '99999999999999', '1e3', '']) {
        const res = await lookup('super', { app: 'blog', model: 'post', field: 'author', term: 'eve', page });
        expect(res.status, page).toBe(200);
      }
      const eve = await client.get(endpoint, { ...as('super'), query: { app: 'blog', model: 'post', field: 'author', term: '<b>eve' } });
      expect(eve.headers.get('content-type')).toMatch(/^application\/json/);
      expect((await eve.json()) as unknown).toMatchObject({ results: [{ text: '<b>Eve</b> "quotes" \'%_' }] });
      expect((await lookup('super', { app: ['blog', 'x'] as unknown as string, model: '__proto__', field: 'constructor' })).status).toBe(403);
    });

    it('renders a key input with the selected object’s text instead of a select of every object; saves by key', async () => {
      const ann = await Author.create({ name: 'Ann <i>', email: 'a@example.com' });
      await Author.create({ name: 'Zed', email: 'z@example.com' });
      const post = await Post.create({ title: 'P', slug: 'p', author: ann });
      const url = `/admin/blog/post/${post.id}/change/`;
      const page = await (await client.get(url, as('super'))).text();
      expect(page).toMatch(/<input type="text" name="author" value="\d+"[^>]*class="admin-autocomplete"/);
      expect(page).toContain('data-autocomplete-url="/admin/autocomplete/?app=blog&amp;model=post&amp;field=author"');
      expect(page).toContain('Ann &lt;i&gt;'); // the label, escaped in the data attribute
      expect(page).not.toContain('Zed'); // no choice list
      expect(page).not.toContain('<select name="author"');
      const token = csrfOf(page);
      const base = { csrfmiddlewaretoken: token, title: 'P', slug: 'p', status: 'draft', category: '' };
      for (const bad of ['abc', '999999', '1 OR 1=1', '<script>']) {
        const res = await client.post(url, { ...as('super'), form: { ...base, author: bad } });
        expect(res.status, bad).toBe(200);
        expect(await res.text()).toContain('Please correct the errors below.');
      }
      const zed = await Author.objects.get({ name: 'Zed' });
      const saved = await client.post(url, { ...as('super'), form: { ...base, author: String(zed.id) } });
      expect(saved.status).toBe(302);
      expect((await Post.objects.get({ id: post.id })).authorId).toBe(zed.id);
    });

    it('autocompletes many-to-many fields with comma-separated keys', async () => {
      const [a, b] = [await Tag.create({ name: 'alpha' }), await Tag.create({ name: 'beta' })];
      const add = await (await client.get('/admin/shop/product/add/', as('super'))).text();
      expect(add).toContain('data-multiple="true"');
      const res = await client.post('/admin/shop/product/add/', { ...as('super'), form: { csrfmiddlewaretoken: csrfOf(add), name: 'Kit', tags: `${a.id}, ${b.id}` } });
      expect(res.status).toBe(302);
      const kit = await Product.objects.get({ name: 'Kit' });
      expect((await kit.tags.all()).map((t) => t.name).sort()).toEqual(['alpha', 'beta']);
      const change = await (await client.get(`/admin/shop/product/${kit.id}/change/`, as('super'))).text();
      expect(change).toContain(`value="${a.id},${b.id}"`);
      expect(change).toMatch(/data-labels="\[\{&quot;id&quot;:&quot;\d+&quot;,&quot;text&quot;:&quot;alpha&quot;\}/);
      const tags = await lookup('super', { app: 'shop', model: 'product', field: 'tags', term: 'al' });
      expect(tags.body!.results.map((r) => r.text)).toEqual(['alpha']);
    });

    it('checks autocompleteFields at registration', () => {
      expect(() => new AdminSite().register(Post, { autocompleteFields: ['title'] })).toThrow(AdminOptionError);
      expect(() => new AdminSite().register(Post, { autocompleteFields: ['nope' as 'title'] })).toThrow(/nope/);
    });
  },
  { models: [Author, Category, Post, Comment, Tag, Product, LogEntry] },
);
