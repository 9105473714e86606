import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { path, text, type HttpRequest } from '@atrium/core';
import type { TestClient } from '@atrium/core/testing';
import { CreateView, DeleteView, DetailView, FormView, ListView, UpdateView, fields, form, getListOr404, getObjectOr404, redirectTo, type Form } from '../src/index.js';
import { testApp } from './support/app.js';
import { Author, Post, Tag, blogModels } from './support/blog-models.js';
import { forEachDatabase } from './support/databases.js';

const Contact = form({ email: fields.email(), message: fields.text({ maxLength: 200 }) }, { name: 'Contact' });
const sent: string[] = [];

class ContactView extends FormView {
  override formClass = Contact;
  override templateName = 'contact.html';
  override successUrl = '/thanks/';
  override async formValid(request: HttpRequest, valid: Form) {
    sent.push(String((valid.cleanedData as { email: string }).email));
    return super.formValid(request, valid);
  }
}

const routes = [
  path('posts/', ListView.asView({ model: Post, paginateBy: 2, ordering: ['id'] }), { name: 'post-list' }),
  path('all-posts/', ListView.asView({ model: Post, allowEmpty: false }), { name: 'all-posts' }),
  path('posts/<int:pk>/', DetailView.asView({ model: Post }), { name: 'post-detail' }),
  path('live/<slug:slug>/', DetailView.asView({ queryset: Post.objects.filter({ status: 'live' }) }), { name: 'live-detail' }),
  path('posts/by-id/<str:pk>/', DetailView.asView({ model: Post }), { name: 'post-by-str' }),
  path('posts/new/', CreateView.asView({ model: Post, fields: ['title', 'slug', 'author', 'tags'], successRoute: 'post-detail', successRouteParams: ['pk'] }), { name: 'post-create' }),
  path('posts/<int:pk>/edit/', UpdateView.asView({ model: Post, fields: ['title', 'slug', 'author', 'tags'], successUrl: '/posts/{id}/' }), { name: 'post-update' }),
  path('posts/<int:pk>/delete/', DeleteView.asView({ model: Post, successRoute: 'post-list' }), { name: 'post-delete' }),
  path('contact/', ContactView.asView(), { name: 'contact' }),
  path('shortcut/<slug:slug>/', async (request, { slug }) => text((await getObjectOr404(Post, { slug })).title)),
  path('by-author/<int:id>/', async (request, { id }) => text(String((await getListOr404(Post.objects.filter({ authorId: id }))).length))),
  path('go/<int:pk>/', (request, { pk }) => redirectTo(request, 'post-detail', { pk })),
];

async function client(): Promise<TestClient> {
  return (await testApp(routes, { templates: true, root: join(import.meta.dirname, 'fixtures/project'), settings: { TEMPLATES: { DIRS: ['templates'], APP_DIRS: true, OPTIONS: {} } } })).client;
}

describe('view configuration errors', () => {
  it('asView refuses unknown options', () => {
    expect(() => ListView.asView({ modle: Post } as never)).toThrow(/unknown option 'modle'/);
  });
});

forEachDatabase(
  'generic views',
  () => {
    async function blog() {
      const ann = await Author.create({ name: 'Ann', email: 'ann@example.com' });
      const posts = [];
      for (const [i, slug] of ['one', 'two', 'three'].entries()) posts.push(await Post.create({ title: `Post <${i + 1}>`, slug, author: ann, status: i === 0 ? 'live' : 'draft' }));
      const tag = await Tag.create({ name: 'news' });
      return { ann, posts, tag };
    }

    it('ListView paginates, escapes, and 404s on invalid pages; 405 for POST', async () => {
      await blog();
      const http = await client();
      const first = await http.get('/posts/');
      expect(first.status).toBe(200);
      const body = await first.text();
      expect(body).toContain('<li>Post &lt;1&gt;</li><li>Post &lt;2&gt;</li></ul>');
      expect(body).toContain('objects=2 page=1/2 paginated=true next=2');
      expect(await (await http.get('/posts/', { query: { page: '2' } })).text()).toContain('<li>Post &lt;3&gt;</li></ul>');
      expect(await (await http.get('/posts/', { query: { page: 'last' } })).text()).toContain('page=2/2');
      for (const page of ['3', '0', '-1', 'abc', '1.5', '9'.repeat(30)]) expect((await http.get('/posts/', { query: { page } })).status, page).toBe(404);
      const post = await http.post('/posts/', { form: {} });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toContain('GET');
    });

    it('ListView with allowEmpty false is a 404 when empty', async () => {
      const http = await client();
      expect((await http.get('/all-posts/')).status).toBe(404);
      await blog();
      expect((await http.get('/all-posts/')).status).toBe(200);
    });

    it('DetailView finds by pk or slug, else 404', async () => {
      const { posts } = await blog();
      const http = await client();
      const found = await http.get(`/posts/${posts[1]!.id}/`);
      expect(found.status).toBe(200);
      expect(await found.text()).toContain('<h1>Post &lt;2&gt;</h1><p>two</p>');
      expect((await http.get('/posts/99999/')).status).toBe(404);
      expect((await http.get('/live/one/')).status).toBe(200);
      expect((await http.get('/live/two/')).status).toBe(404);
      // A key that cannot be a key is a 404, not a database error.
      expect((await http.get('/posts/by-id/abc/')).status).toBe(404);
      expect((await http.delete(`/posts/${posts[0]!.id}/`)).status).toBe(405);
    });

    it('CreateView shows the form, re-renders errors, saves and redirects', async () => {
      const { ann, tag } = await blog();
      const http = await client();
      const page = await http.get('/posts/new/');
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<form method="post">');
      expect(html).toContain(`<option value="${ann.id}">Ann</option>`);
      const invalid = await http.post('/posts/new/', { form: { title: '<script>x</script>', slug: 'bad slug', author: '' } });
      expect(invalid.status).toBe(200);
      const errors = await invalid.text();
      expect(errors).toContain('Enter a valid “slug”');
      expect(errors).toContain('value="&lt;script&gt;x&lt;/script&gt;"');
      expect(errors).not.toContain('<script>x');
      const created = await http.post('/posts/new/', { form: { title: 'Fresh', slug: 'fresh', author: String(ann.id), tags: [String(tag.id)] } });
      expect(created.status).toBe(302);
      const saved = await Post.objects.get({ slug: 'fresh' });
      expect(created.headers.get('location')).toBe(`/posts/${saved.id}/`);
      expect((await saved.tags.all()).map((t) => t.name)).toEqual(['news']);
    });

    it('UpdateView edits an existing object, 404 for a missing one', async () => {
      const { ann, posts } = await blog();
      const http = await client();
      const target = posts[2]!;
      const page = await http.get(`/posts/${target.id}/edit/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('value="Post &lt;3&gt;"');
      expect(html).toContain('<p>editing Post &lt;3&gt;</p>');
      const updated = await http.post(`/posts/${target.id}/edit/`, { form: { title: 'Renamed', slug: 'three', author: String(ann.id) } });
      expect(updated.status).toBe(302);
      expect(updated.headers.get('location')).toBe(`/posts/${target.id}/`);
      expect((await Post.objects.get({ id: target.id })).title).toBe('Renamed');
      expect(await Post.objects.count()).toBe(3);
      expect((await http.get('/posts/99999/edit/')).status).toBe(404);
      expect((await http.post('/posts/99999/edit/', { form: { title: 'x' } })).status).toBe(404);
      // Uniqueness is checked: another post's (author, slug) pair.
      const clash = await http.post(`/posts/${target.id}/edit/`, { form: { title: 'Renamed', slug: 'one', author: String(ann.id) } });
      expect(clash.status).toBe(200);
      expect(await clash.text()).toContain('Post with this author and slug already exists.');
    });

    it('DeleteView confirms on GET, deletes on POST, 404 for missing', async () => {
      const { posts } = await blog();
      const http = await client();
      const target = posts[0]!;
      const confirm = await http.get(`/posts/${target.id}/delete/`);
      expect(confirm.status).toBe(200);
      expect(await confirm.text()).toContain('Delete “Post &lt;1&gt;”?');
      expect(await Post.objects.count()).toBe(3);
      const deleted = await http.post(`/posts/${target.id}/delete/`);
      expect(deleted.status).toBe(302);
      expect(deleted.headers.get('location')).toBe('/posts/');
      expect(await Post.objects.filter({ id: target.id }).count()).toBe(0);
      expect((await http.post(`/posts/${target.id}/delete/`)).status).toBe(404);
      expect((await http.put(`/posts/${posts[1]!.id}/delete/`)).status).toBe(405);
    });

    it('FormView: 200 with errors, 302 when valid', async () => {
      const http = await client();
      expect((await http.get('/contact/')).status).toBe(200);
      const invalid = await http.post('/contact/', { form: { email: 'nope', message: 'hi' } });
      expect(invalid.status).toBe(200);
      expect(await invalid.text()).toContain('Enter a valid email address.');
      const valid = await http.post('/contact/', { form: { email: 'ann@example.com', message: 'hi' } });
      expect(valid.status).toBe(302);
      expect(valid.headers.get('location')).toBe('/thanks/');
      expect(sent).toContain('ann@example.com');
      expect((await http.delete('/contact/')).status).toBe(405);
    });

    it('shortcuts: getObjectOr404, getListOr404, redirectTo', async () => {
      const { ann, posts } = await blog();
      const http = await client();
      expect(await (await http.get('/shortcut/two/')).text()).toBe('Post <2>');
      expect((await http.get('/shortcut/missing/')).status).toBe(404);
      expect(await (await http.get(`/by-author/${ann.id}/`)).text()).toBe('3');
      expect((await http.get('/by-author/99999/')).status).toBe(404);
      const go = await http.get(`/go/${posts[0]!.id}/`);
      expect(go.status).toBe(302);
      expect(go.headers.get('location')).toBe(`/posts/${posts[0]!.id}/`);
      await expect(getObjectOr404(Post, { pk: 'abc' })).rejects.toMatchObject({ status: 404 });
      await expect(getObjectOr404(Post.objects.all(), { authorId: ann.id })).rejects.toThrow(/more than one Post/);
    });
  },
  { models: blogModels },
);
