import { beforeAll, expect, it } from 'vitest';
import type { TestClient } from '@atrium/core/testing';
import { AdminSite, ADDITION, CHANGE, DELETION, LogEntry } from '../src/index.js';
import { Author, Category, Comment, Post } from './support/blog.js';
import { forEachDatabase } from './support/databases.js';
import { adminClient, csrfOf } from './support/site.js';

const site = new AdminSite();
site.register(Author, { listDisplay: ['name', 'email'], searchFields: ['name'], str: (a) => a.name });
site.register(Category, { str: (c) => c.name });
site.register(Post, {
  listDisplay: ['title', 'status', 'featured', 'author.name', { name: 'shout', label: 'Shout', value: (p) => p.title.toUpperCase() }],
  listFilter: ['status', 'featured', 'author', 'publishedOn'],
  searchFields: ['title', 'author.name', '=slug'],
  ordering: ['title'],
  listPerPage: 2,
  readonlyFields: ['featured'],
  str: (p) => p.title,
  actions: [
    {
      name: 'make_live',
      label: 'Publish selected posts',
      async run(_request, queryset, { count }) {
        await queryset.update({ status: 'live' });
        return `${count} posts published.`;
      },
    },
  ],
});
site.register(Comment, { str: (c) => c.text });

let client: TestClient;
beforeAll(async () => {
  client = (await adminClient(site, { ADMIN_SITE_TITLE: 'Blog admin', ADMIN_SITE_HEADER: 'Blog <HQ>' })).client;
});

const as = (user: string) => ({ headers: { 'x-test-user': user } });

async function page(user: string, url: string, query?: Record<string, string>): Promise<{ status: number; html: string }> {
  const res = await client.get(url, { ...as(user), ...(query ? { query } : {}) });
  return { status: res.status, html: await res.text() };
}

async function submit(user: string, url: string, form: Record<string, string | string[]>) {
  const token = csrfOf((await page(user, url)).html);
  return client.post(url, { ...as(user), form: { csrfmiddlewaretoken: token, ...form } });
}

async function blog() {
  const ann = await Author.create({ name: 'Ann', email: 'ann@example.com' });
  const bob = await Author.create({ name: 'Bob', email: 'bob@example.com' });
  const news = await Category.create({ name: 'News' });
  const posts = [];
  for (const [i, title] of ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'].entries()) {
    posts.push(await Post.create({ title, slug: title.toLowerCase(), author: i < 3 ? ann : bob, status: i % 2 === 0 ? 'live' : 'draft', featured: i === 4, category: i === 0 ? news : null }));
  }
  await Comment.create({ post: posts[1]!, text: 'First!' });
  await Comment.create({ post: posts[1]!, text: 'Second <b>' });
  return { ann, bob, news, posts };
}

forEachDatabase(
  'admin pages',
  () => {
    it('sends anonymous and non-staff users to log in; 403 for staff without the permission', async () => {
      await blog();
      for (const user of ['', 'member', 'retired']) {
        const res = await client.get('/admin/blog/post/', user ? as(user) : {});
        expect(res.status, user).toBe(302);
        expect(res.headers.get('location')).toBe('/admin/login/?next=%2Fadmin%2Fblog%2Fpost%2F');
      }
      const index = await page('nobody', '/admin/');
      expect(index.status).toBe(200);
      expect(index.html).toContain('You don’t have permission to view or edit anything.');
      expect((await page('nobody', '/admin/blog/post/')).status).toBe(403);
      expect((await page('nobody', '/admin/blog/post/add/')).status).toBe(403);
      expect((await page('super', '/admin/blog/nothing/')).status).toBe(404);
    });

    it('shows the index grouped by app with only what the user may see', async () => {
      const superIndex = await page('super', '/admin/');
      expect(superIndex.html).toContain('<h2 id="app-blog">blog</h2>');
      expect(superIndex.html).toContain('<title>Site administration | Blog admin</title>');
      expect(superIndex.html).toContain('<a href="/admin/">Blog &lt;HQ&gt;</a>');
      for (const name of ['Authors', 'Categories', 'Comments', 'Posts']) expect(superIndex.html).toContain(`>${name}</a>`);
      const viewer = await page('viewer', '/admin/');
      expect(viewer.html).toContain('href="/admin/blog/post/">Posts</a>');
      expect(viewer.html).not.toContain('Categories');
      expect(viewer.html).not.toContain('/admin/blog/post/add/');
    });

    it('lists, searches, filters, sorts and paginates; bad parameters never fail', async () => {
      const { ann } = await blog();
      const first = await page('super', '/admin/blog/post/');
      expect(first.status).toBe(200);
      expect(first.html).toContain('5 posts');
      expect(first.html).toMatch(/<a href="\/admin\/blog\/post\/\d+\/change\/">Alpha<\/a>/);
      expect(first.html).toContain('<td>ANN</td>'.replace('ANN', 'Ann'));
      expect(first.html).toContain('<td>ALPHA</td>');
      expect(first.html).not.toContain('Charlie');
      const second = await page('super', '/admin/blog/post/', { p: '2' });
      expect(second.html).toContain('Charlie');
      expect(second.html).toContain('<span class="this-page" aria-current="page">2</span>');
      const searched = await page('super', '/admin/blog/post/', { q: 'bob' });
      expect(searched.html).toContain('2 results (<a href="?">5 total</a>)');
      expect(searched.html).toContain('Delta');
      expect((await page('super', '/admin/blog/post/', { q: 'char ann' })).html).toContain('1 result ');
      expect((await page('super', '/admin/blog/post/', { q: 'echo' })).html).toContain('1 result ');
      expect((await page('super', '/admin/blog/post/', { q: 'ech' })).html).toContain('1 result ');
      const live = await page('super', '/admin/blog/post/', { status: 'live' });
      expect(live.html).toContain('3 results');
      expect(live.html).toContain('<li class="selected"><a href="?status=live" aria-current="true">Live</a></li>');
      expect((await page('super', '/admin/blog/post/', { featured: '1' })).html).toContain('1 result ');
      expect((await page('super', '/admin/blog/post/', { author: String(ann.id), status: 'live' })).html).toContain('2 results');
      const sorted = await page('super', '/admin/blog/post/', { o: '-title' });
      expect(sorted.html.indexOf('Echo')).toBeGreaterThan(0);
      expect(sorted.html).not.toContain('Alpha');
      expect(sorted.html).toContain('class="sorted desc"');
      const byAuthor = await page('super', '/admin/blog/post/', { o: 'author.name' });
      expect(byAuthor.status).toBe(200);
      const hostile: Array<Record<string, string>> = [{ p: 'abc' }, { p: '-1' }, { p: '99999999999999999' }, { o: 'nope' }, { o: 'shout' }, { status: '<script>x</script>' }, { author: 'abc' }, { publishedOn: 'bogus' }, { zzz: '1' }, { q: '<script>alert(1)</script>' }, { q: "' OR 1=1 --" }];
      for (const query of hostile) {
        const res = await page('super', '/admin/blog/post/', query);
        expect(res.status, JSON.stringify(query)).toBe(200);
        expect(res.html).not.toContain('<script>alert');
        expect(res.html).not.toContain('<script>x');
      }
      expect((await page('super', '/admin/blog/post/', { q: '<script>alert(1)</script>' })).html).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
      expect((await page('super', '/admin/blog/post/', { p: '999' })).html).toContain('<span class="this-page" aria-current="page">3</span>');
    });

    it('searches every model the user may view from one box', async () => {
      await blog();
      const hits = await page('super', '/admin/search/', { q: 'bob' });
      expect(hits.status).toBe(200);
      expect(hits.html).toContain('<h2>Authors (1)</h2>');
      expect(hits.html).toContain('<h2>Posts (2)</h2>');
      expect(hits.html).toMatch(/<a href="\/admin\/blog\/author\/\d+\/change\/">Bob<\/a>/);
      const viewer = await page('viewer', '/admin/search/', { q: 'bob' });
      expect(viewer.html).toContain('<h2>Posts (2)</h2>');
      const none = await page('super', '/admin/search/', { q: '<script>zz</script>' });
      expect(none.html).toContain('Nothing found for “&lt;script&gt;zz&lt;/script&gt;”.');
      expect((await page('nobody', '/admin/search/', { q: 'bob' })).html).not.toContain('<h2>');
      expect((await client.get('/admin/search/', { query: { q: 'bob' } })).status).toBe(302);
    });

    it('adds with validation errors re-rendered and escaped, then saves and logs', async () => {
      const { ann } = await blog();
      const form = await page('super', '/admin/blog/post/add/');
      expect(form.status).toBe(200);
      expect(form.html).toContain(`<option value="${ann.id}">Ann</option>`);
      expect(form.html).not.toContain('name="featured"');
      expect(form.html).toContain('name="slug"');
      const invalid = await submit('super', '/admin/blog/post/add/', { title: '<script>alert(1)</script>', slug: 'ok', author: '', status: 'bogus' });
      expect(invalid.status).toBe(200);
      const html = await invalid.text();
      expect(html).toContain('Please correct the errors below.');
      expect(html).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
      expect(html).not.toContain('<script>alert');
      const created = await submit('super', '/admin/blog/post/add/', { title: 'Fresh <post>', slug: 'fresh', author: String(ann.id), status: 'live', _continue: '1' });
      expect(created.status).toBe(302);
      const post = await Post.objects.get({ title: 'Fresh <post>' });
      expect(created.headers.get('location')).toBe(`/admin/blog/post/${post.id}/change/`);
      const entry = await LogEntry.objects.get({ contentType: 'blog.Post', objectId: String(post.id) });
      expect([entry.actionFlag, entry.userId, entry.objectRepr]).toEqual([ADDITION, 'super-id', 'Fresh <post>']);
      const followed = await page('super', `/admin/blog/post/${post.id}/change/`);
      expect(followed.html).toContain('The post “Fresh &lt;post&gt;” was added successfully.');
      const another = await submit('super', '/admin/blog/post/add/', { title: 'Another', slug: 'another', author: String(ann.id), status: 'draft', _addanother: '1' });
      expect(another.headers.get('location')).toBe('/admin/blog/post/add/');
    });

    it('changes an object, logs the changed fields and shows the history', async () => {
      const { posts, bob } = await blog();
      const target = posts[2]!;
      const url = `/admin/blog/post/${target.id}/change/`;
      const shown = await page('editor', url);
      expect(shown.status).toBe(200);
      expect(shown.html).toContain('<span class="readonly">No</span>');
      expect(shown.html).toContain('name="_save"');
      expect(shown.html).toContain(`href="/admin/blog/author/${target.authorId}/change/"`);
      const saved = await submit('editor', url, { title: 'Charlie 2', body: 'new body', author: String(bob.id), status: 'live', slug: 'charlie', featured: 'on' });
      expect(saved.status).toBe(302);
      expect(saved.headers.get('location')).toBe('/admin/blog/post/');
      const reloaded = await Post.objects.get({ id: target.id });
      expect([reloaded.title, reloaded.featured, reloaded.authorId]).toEqual(['Charlie 2', false, bob.id]);
      const entry = await LogEntry.objects.get({ actionFlag: CHANGE, objectId: String(target.id) });
      expect(entry.changeMessage).toBe('Changed title, body and author.');
      const history = await page('editor', `/admin/blog/post/${target.id}/history/`);
      expect(history.status).toBe(200);
      expect(history.html).toContain('<td>editor-id</td><td>Changed</td><td>Changed title, body and author.</td>');
      const recent = await page('editor', '/admin/');
      expect(recent.html).toContain(`<li class="action-changed">Changed post: <a href="/admin/blog/post/${target.id}/change/">Charlie 2</a></li>`);
      expect((await page('super', '/admin/')).html).toContain('None available');
      expect((await page('super', '/admin/blog/post/abc/change/')).status).toBe(404);
      expect((await page('super', '/admin/blog/post/999999/change/')).status).toBe(404);
    });

    it('gives a view-only user read-only pages and refuses every write', async () => {
      const { posts, ann } = await blog();
      const url = `/admin/blog/post/${posts[0]!.id}/change/`;
      const shown = await page('viewer', url);
      expect(shown.status).toBe(200);
      expect(shown.html).toContain('<h1>View post</h1>');
      expect(shown.html).not.toContain('name="_save"');
      expect(shown.html).not.toContain('name="title"');
      expect(shown.html).toContain('<span class="readonly">Ann</span>');
      const token = csrfOf(shown.html);
      const refused = await client.post(url, { ...as('viewer'), form: { csrfmiddlewaretoken: token, title: 'x', author: String(ann.id), status: 'live' } });
      expect(refused.status).toBe(403);
      expect((await Post.objects.get({ id: posts[0]!.id })).title).toBe('Alpha');
      expect((await page('viewer', '/admin/blog/post/add/')).status).toBe(403);
      expect((await page('viewer', `/admin/blog/post/${posts[0]!.id}/delete/`)).status).toBe(403);
      const list = await page('viewer', '/admin/blog/post/');
      expect(list.html).not.toContain('delete_selected');
      const bulk = await client.post('/admin/blog/post/', { ...as('viewer'), form: { csrfmiddlewaretoken: csrfOf(list.html), action: 'delete_selected', _selected_action: [String(posts[0]!.id)], post: 'yes' } });
      expect(bulk.status).toBe(403);
      expect(await Post.objects.count()).toBe(5);
    });

    it('confirms a deletion listing the cascade, then deletes and logs', async () => {
      const { posts } = await blog();
      const target = posts[1]!;
      const url = `/admin/blog/post/${target.id}/delete/`;
      const confirm = await page('editor', url);
      expect(confirm.status).toBe(200);
      expect(confirm.html).toContain('Are you sure you want to delete the post “Bravo”?');
      expect(confirm.html).toContain('<li>Comments: 2</li>');
      expect(confirm.html).toContain('<li class="depth-1">Comment: Second &lt;b&gt;</li>');
      const done = await client.post(url, { ...as('editor'), form: { csrfmiddlewaretoken: csrfOf(confirm.html), post: 'yes' } });
      expect(done.status).toBe(302);
      expect(done.headers.get('location')).toBe('/admin/blog/post/');
      expect(await Post.objects.filter({ id: target.id }).count()).toBe(0);
      expect(await Comment.objects.count()).toBe(0);
      expect((await LogEntry.objects.get({ actionFlag: DELETION })).objectRepr).toBe('Bravo');
      expect((await page('editor', '/admin/')).html).toContain('<li class="action-deleted">Deleted post: Bravo</li>');
    });

    it('refuses to delete an object that PROTECT keeps', async () => {
      const { news } = await blog();
      const url = `/admin/blog/category/${news.id}/delete/`;
      const confirm = await page('super', url);
      expect(confirm.html).toContain('is not possible');
      expect(confirm.html).toContain('<li>Post: Alpha</li>');
      const token = csrfOf((await page('super', `/admin/blog/category/${news.id}/change/`)).html);
      const refused = await client.post(url, { ...as('super'), form: { csrfmiddlewaretoken: token, post: 'yes' } });
      expect(refused.status).toBe(409);
      expect(await Category.objects.count()).toBe(1);
    });

    it('bulk-deletes after a confirmation, ignoring keys outside the list', async () => {
      const { posts } = await blog();
      const list = await page('editor', '/admin/blog/post/');
      expect(list.html).toContain('<option value="delete_selected">Delete selected posts</option>');
      const selected = [String(posts[0]!.id), String(posts[1]!.id), '999999', 'abc'];
      const confirm = await client.post('/admin/blog/post/', { ...as('editor'), form: { csrfmiddlewaretoken: csrfOf(list.html), action: 'delete_selected', _selected_action: selected } });
      expect(confirm.status).toBe(200);
      const html = await confirm.text();
      expect(html).toContain('<li>Posts: 2</li>');
      expect(html).toContain('<li>Comments: 2</li>');
      expect(await Post.objects.count()).toBe(5);
      const done = await client.post('/admin/blog/post/', { ...as('editor'), form: { csrfmiddlewaretoken: csrfOf(html), action: 'delete_selected', _selected_action: selected, post: 'yes' } });
      expect(done.status).toBe(302);
      expect(await Post.objects.count()).toBe(3);
      expect(await LogEntry.objects.filter({ actionFlag: DELETION }).count()).toBe(2);
      const after = await page('editor', '/admin/blog/post/');
      expect(after.html).toContain('Successfully deleted 2 posts.');
    });

    it('runs a custom action on the selection, or on every filtered object with select_across', async () => {
      const { posts } = await blog();
      const list = await page('super', '/admin/blog/post/');
      const one = await client.post('/admin/blog/post/', { ...as('super'), form: { csrfmiddlewaretoken: csrfOf(list.html), action: 'make_live', _selected_action: [String(posts[1]!.id)] } });
      expect(one.status).toBe(302);
      expect(await Post.objects.filter({ status: 'live' }).count()).toBe(4);
      const all = await client.post('/admin/blog/post/?q=bob', { ...as('super'), form: { csrfmiddlewaretoken: csrfOf(list.html), action: 'make_live', select_across: '1' } });
      expect(all.status).toBe(302);
      expect(all.headers.get('location')).toBe('/admin/blog/post/?q=bob');
      expect(await Post.objects.filter({ status: 'live' }).count()).toBe(5);
      expect((await page('super', '/admin/blog/post/')).html).toContain('2 posts published.');
      const none = await client.post('/admin/blog/post/', { ...as('super'), form: { csrfmiddlewaretoken: csrfOf(list.html), action: 'make_live' } });
      expect(none.status).toBe(302);
      const noToken = await client.post('/admin/blog/post/', { ...as('super'), form: { action: 'delete_selected', select_across: '1', post: 'yes' } });
      expect(noToken.status).toBe(403);
      expect(await Post.objects.count()).toBe(5);
    });
  },
  { models: [Author, Category, Post, Comment, LogEntry] },
);
