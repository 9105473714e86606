import { beforeAll, expect, it } from 'vitest';
import type { TestClient } from '@atrium/core/testing';
import { captureQueries } from '@atrium/orm';
import { markSafe } from '@atrium/templates';
import { AdminSite, LogEntry, csvCell, csvExportAction } from '../src/index.js';
import { userOf } from '../src/user-of.js';
import { Author, Category, Comment, Post } from './support/blog.js';
import { forEachDatabase } from './support/databases.js';
import { adminClient, csrfOf } from './support/site.js';

// A second site with its own namespace, per-request hooks and fieldsets.
const site = new AdminSite({ name: 'staffsite', siteHeader: 'Staff <desk>', loginUrl: '/login/' });
site.register(Author, { str: (a) => a.name, searchFields: ['name'], showFullResultCount: false, actions: [csvExportAction({ fields: ['id', 'name', 'email'] })], listDisplay: ['name', { name: 'badge', label: 'Badge', value: (a) => markSafe(`<b class="badge">${a.id}</b>`) }] });
site.register(Post, {
  listDisplay: ['title', 'author', 'author.email'],
  str: (p) => p.title,
  // Each editor sees only the posts of the author named like them; the rest are unreachable by id.
  getQueryset: (request, queryset) => (userOf(request).isSuperuser ? queryset : queryset.filter({ author: { name: userOf(request).getUsername() } })),
  hasDeletePermission: () => false,
  fieldsets: [
    ['Content', { fields: ['title', 'slug', 'body'], description: 'What readers see.' }],
    ['Publishing', { fields: ['status', 'author'] }],
  ],
});

let client: TestClient;
beforeAll(async () => {
  client = (await adminClient(site)).client;
});
const as = (user: string) => ({ headers: { 'x-test-user': user } });

forEachDatabase(
  'admin hooks and custom sites',
  () => {
    it('uses the custom namespace, header (escaped) and login URL', async () => {
      const anonymous = await client.get('/admin/');
      expect(anonymous.headers.get('location')).toBe('/login/?next=%2Fadmin%2F');
      const index = await (await client.get('/admin/', as('super'))).text();
      expect(index).toContain('Staff &lt;desk&gt;');
      expect(index).toContain('href="/admin/blog/post/"');
      expect(index).toContain('href="/static/admin/admin.css"');
    });

    it('limits objects with getQueryset: others are 404 even by id', async () => {
      const editor = await Author.create({ name: 'editor', email: 'e@example.com' });
      const other = await Author.create({ name: 'other', email: 'o@example.com' });
      const mine = await Post.create({ title: 'Mine', slug: 'mine', author: editor });
      const theirs = await Post.create({ title: 'Theirs', slug: 'theirs', author: other });
      const list = await (await client.get('/admin/blog/post/', as('editor'))).text();
      expect(list).toContain('Mine');
      expect(list).not.toContain('Theirs');
      expect((await client.get(`/admin/blog/post/${theirs.id}/change/`, as('editor'))).status).toBe(404);
      expect((await client.get(`/admin/blog/post/${theirs.id}/history/`, as('editor'))).status).toBe(404);
      expect((await client.get(`/admin/blog/post/${mine.id}/change/`, as('editor'))).status).toBe(200);
      expect((await client.get(`/admin/blog/post/${theirs.id}/change/`, as('super'))).status).toBe(200);
    });

    it('applies permission hooks: no delete link, delete page 403, no delete action', async () => {
      const ann = await Author.create({ name: 'Ann', email: 'a@example.com' });
      const post = await Post.create({ title: 'P', slug: 'p', author: ann });
      const change = await (await client.get(`/admin/blog/post/${post.id}/change/`, as('super'))).text();
      expect(change).not.toContain('class="deletelink"');
      expect((await client.get(`/admin/blog/post/${post.id}/delete/`, as('super'))).status).toBe(403);
      const list = await (await client.get('/admin/blog/post/', as('super'))).text();
      expect(list).not.toContain('delete_selected');
      const refused = await client.post('/admin/blog/post/', { ...as('super'), form: { csrfmiddlewaretoken: csrfOf(change), action: 'delete_selected', _selected_action: [String(post.id)], post: 'yes' } });
      expect(refused.status).toBe(403);
      expect(await Post.objects.count()).toBe(1);
    });

    it('exports the selection as CSV, quoting and defusing formulas', async () => {
      expect([csvCell('a,b'), csvCell('say "hi"'), csvCell('=cmd()'), csvCell(null), csvCell(3)]).toEqual(['"a,b"', '"say ""hi"""', "'=cmd()", '', '3']);
      const a = await Author.create({ name: '=HYPERLINK("x")', email: 'a@example.com' });
      const b = await Author.create({ name: 'Bob, Jr.', email: 'b@example.com' });
      await Author.create({ name: 'Not selected', email: 'c@example.com' });
      const list = await (await client.get('/admin/blog/author/', as('super'))).text();
      expect(list).toContain('<option value="export_csv">Export selected as CSV</option>');
      const res = await client.post('/admin/blog/author/', { ...as('super'), form: { csrfmiddlewaretoken: csrfOf(list), action: 'export_csv', _selected_action: [String(a.id), String(b.id)] } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toBe('attachment; filename="author.csv"');
      const body = await res.text();
      expect(body.split('\r\n').sort()).toEqual(['', 'id,name,email', `${a.id},"'=HYPERLINK(""x"")",a@example.com`, `${b.id},"Bob, Jr.",b@example.com`].sort());
    });

    it('renders fieldsets in order with descriptions', async () => {
      const html = await (await client.get('/admin/blog/post/add/', as('super'))).text();
      expect(html).toContain('<legend>Content</legend>');
      expect(html).toContain('<p class="description">What readers see.</p>');
      expect(html.indexOf('name="title"')).toBeLessThan(html.indexOf('name="status"'));
      expect(html).not.toContain('name="featured"');
    });

    it('renders related columns without a query per row, and safe computed cells as HTML', async () => {
      for (let i = 0; i < 6; i++) {
        const author = await Author.create({ name: `A${i}`, email: `a${i}@example.com` });
        await Post.create({ title: `T${i}`, slug: `t${i}`, author });
      }
      const { result, queries } = await captureQueries(async () => (await client.get('/admin/blog/post/', as('super'))).text());
      expect(result).toContain('<td>a5@example.com</td>');
      expect(result).toContain('<td>A5</td>');
      // Filters none: the count, the page (with its join), and no per-row author query.
      expect(queries.length).toBeLessThanOrEqual(3);
      const authors = await (await client.get('/admin/blog/author/', as('super'))).text();
      expect(authors).toMatch(/<td><b class="badge">\d+<\/b><\/td>/);
      const searched = await captureQueries(async () => (await client.get('/admin/blog/author/', { ...as('super'), query: { q: 'A5' } })).text());
      expect(searched.result).toContain('1 result (<a href="?">Show all</a>)');
      expect(searched.queries.filter((q) => /count/i.test(q.sql)).length).toBe(1);
    });
  },
  { models: [Author, Category, Post, Comment, LogEntry] },
);
