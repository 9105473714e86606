import { beforeAll, expect, it } from 'vitest';
import type { TestClient } from '@atrium/core/testing';
import { AdminSite, AdminOptionError, LogEntry, StackedInline, TabularInline } from '../src/index.js';
import { Author, Category, Comment, Post } from './support/blog.js';
import { forEachDatabase } from './support/databases.js';
import { adminClient, csrfOf } from './support/site.js';

const site = new AdminSite();
site.register(Author, { str: (a) => a.name, searchFields: ['name'] });
site.register(Post, {
  fields: ['title', 'slug', 'author', 'status'],
  str: (p) => p.title,
  inlines: [new TabularInline({ model: Comment, fields: ['text'], extra: 2, str: (c) => c.text })],
});
// A second site: the same inline stacked, with a queryset hook and at most two rows.
const stackedSite = new AdminSite({ name: 'stacked' });
stackedSite.register(Author, { str: (a) => a.name });
stackedSite.register(Post, {
  fields: ['title', 'slug', 'author'],
  str: (p) => p.title,
  inlines: [new StackedInline({ model: Comment, maxNum: 2, extra: 1, str: (c) => c.text, getQueryset: (_request, qs) => qs.exclude({ text: { startswith: 'hidden' } }) })],
});

let client: TestClient;
let stacked: TestClient;
beforeAll(async () => {
  client = (await adminClient(site)).client;
  stacked = (await adminClient(stackedSite, {})).client;
});
const as = (user: string) => ({ headers: { 'x-test-user': user } });

async function html(c: TestClient, user: string, url: string): Promise<{ status: number; text: string }> {
  const res = await c.get(url, as(user));
  return { status: res.status, text: await res.text() };
}

/** The management data and CSRF token of a page plus the given fields. */
async function post(c: TestClient, user: string, url: string, form: Record<string, string>) {
  const page = await html(c, user, url);
  return c.post(url, { ...as(user), form: { csrfmiddlewaretoken: csrfOf(page.text), ...form } });
}

const management = (prefix: string, total: number, initial: number) => ({ [`${prefix}-TOTAL_FORMS`]: String(total), [`${prefix}-INITIAL_FORMS`]: String(initial), [`${prefix}-MIN_NUM_FORMS`]: '0', [`${prefix}-MAX_NUM_FORMS`]: '1000' });

forEachDatabase(
  'admin inlines',
  () => {
    it('shows the inline rows, extra rows and the empty-row template on the add page', async () => {
      const page = await html(client, 'super', '/admin/blog/post/add/');
      expect(page.status).toBe(200);
      expect(page.text).toContain('id="comments-group"');
      expect(page.text).toContain('name="comments-TOTAL_FORMS"');
      expect(page.text).toContain('name="comments-0-text"');
      expect(page.text).toContain('name="comments-1-text"');
      expect(page.text).not.toContain('name="comments-2-text"');
      expect(page.text).toContain('name="comments-__prefix__-text"');
      expect(page.text).toContain('Add another comment');
    });

    it('adds a post with inline rows in one go and logs them', async () => {
      const ann = await Author.create({ name: 'Ann', email: 'a@example.com' });
      const res = await post(client, 'super', '/admin/blog/post/add/', {
        title: 'Hello', slug: 'hello', author: String(ann.id), status: 'draft',
        ...management('comments', 3, 0), 'comments-0-text': 'First', 'comments-1-text': '', 'comments-2-text': 'Third <b>',
      });
      expect(res.status).toBe(302);
      const saved = await Post.objects.get({ slug: 'hello' });
      const texts = (await Comment.objects.filter({ post: saved.id }).orderBy('id')).map((c) => c.text);
      expect(texts).toEqual(['First', 'Third <b>']);
      const entry = await LogEntry.objects.get({ objectId: String(saved.id) });
      expect(entry.changeMessage).toBe('Added. Added comment “First”. Added comment “Third <b>”.');
    });

    it('changes, adds and deletes rows of an existing post; the change message names them', async () => {
      const ann = await Author.create({ name: 'Ann', email: 'a@example.com' });
      const p = await Post.create({ title: 'P', slug: 'p', author: ann });
      const keep = await Comment.create({ post: p, text: 'keep' });
      const gone = await Comment.create({ post: p, text: 'gone' });
      const url = `/admin/blog/post/${p.id}/change/`;
      const page = await html(client, 'super', url);
      expect(page.text).toContain('value="keep"');
      expect(page.text).toContain(`name="comments-0-id"`);
      const res = await post(client, 'super', url, {
        title: 'P', slug: 'p', author: String(ann.id), status: 'draft',
        ...management('comments', 3, 2),
        'comments-0-id': String(keep.id), 'comments-0-text': 'kept',
        'comments-1-id': String(gone.id), 'comments-1-text': 'gone', 'comments-1-DELETE': 'on',
        'comments-2-text': 'new one',
      });
      expect(res.status).toBe(302);
      expect((await Comment.objects.filter({ post: p.id }).orderBy('id')).map((c) => c.text)).toEqual(['kept', 'new one']);
      const entry = await LogEntry.objects.get({ objectId: String(p.id) });
      expect(entry.changeMessage).toBe('Added comment “new one”. Changed text for comment “kept”. Deleted comment “gone”.');
    });

    it('shows errors per inline row and saves nothing (not even the parent) when a row is invalid', async () => {
      const ann = await Author.create({ name: 'Ann', email: 'a@example.com' });
      const res = await post(client, 'super', '/admin/blog/post/add/', {
        title: 'Nope', slug: 'nope', author: String(ann.id), status: 'draft',
        ...management('comments', 2, 0), 'comments-0-text': 'ok', 'comments-1-text': 'x'.repeat(201),
      });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('Please correct the errors below.');
      expect(text).toMatch(/id="comments-1"[^>]*|has-errors/);
      expect(text).toMatch(/at most 200 characters|200/);
      expect(await Post.objects.count()).toBe(0);
      expect(await Comment.objects.count()).toBe(0);
    });

    it('refuses rows of another post and hostile management data without a 500', async () => {
      const ann = await Author.create({ name: 'Ann', email: 'a@example.com' });
      const mine = await Post.create({ title: 'Mine', slug: 'mine', author: ann });
      const other = await Post.create({ title: 'Other', slug: 'other', author: ann });
      const theirs = await Comment.create({ post: other, text: 'theirs' });
      const url = `/admin/blog/post/${mine.id}/change/`;
      const base = { title: 'Mine', slug: 'mine', author: String(ann.id), status: 'draft' };
      const stolen = await post(client, 'super', url, { ...base, ...management('comments', 1, 1), 'comments-0-id': String(theirs.id), 'comments-0-text': 'pwned' });
      expect(stolen.status).toBe(200);
      expect((await Comment.objects.get({ id: theirs.id })).text).toBe('theirs');
      const bads: Array<Record<string, string>> = [{ 'comments-TOTAL_FORMS': 'abc', 'comments-INITIAL_FORMS': '0' }, { 'comments-TOTAL_FORMS': '99999999999', 'comments-INITIAL_FORMS': '0' }, {}];
      for (const bad of bads) {
        const res = await post(client, 'super', url, { ...base, ...bad });
        expect(res.status, JSON.stringify(bad)).toBe(200);
      }
      const hostile = await post(client, 'super', url, { ...base, ...management('comments', 1, 0), 'comments-0-text': '<script>alert(1)</script>'.repeat(20) });
      const body = await hostile.text();
      expect(hostile.status).toBe(200);
      expect(body).not.toContain('<script>alert(1)');
      expect(body).toContain('&lt;script&gt;');
      // A new row with DELETE checked is ignored, not deleted.
      const ignored = await post(client, 'super', url, { ...base, ...management('comments', 1, 0), 'comments-0-text': 'never', 'comments-0-DELETE': 'on' });
      expect(ignored.status).toBe(302);
      expect(await Comment.objects.filter({ post: mine.id }).count()).toBe(0);
    });

    it('follows the permissions of the inline model: view-only rows, no delete box, hidden without any', async () => {
      const ann = await Author.create({ name: 'Ann', email: 'a@example.com' });
      const p = await Post.create({ title: 'P', slug: 'p', author: ann });
      const c = await Comment.create({ post: p, text: 'original' });
      const url = `/admin/blog/post/${p.id}/change/`;
      // view_post only: the page and its inline are read-only.
      const viewer = await html(client, 'viewer', url);
      expect(viewer.status).toBe(200);
      expect(viewer.text).not.toContain('id="comments-group"'); // no permission on comments at all
      // commenter: add and view comments; existing rows are text, new rows editable, no delete box.
      const page = await html(client, 'commenter', url);
      expect(page.text).toContain('id="comments-group"');
      expect(page.text).not.toContain('name="comments-0-text"');
      expect(page.text).toContain('original');
      expect(page.text).toContain('name="comments-1-text"');
      expect(page.text).not.toContain('DELETE');
      const res = await post(client, 'commenter', url, {
        title: 'P', slug: 'p', author: String(ann.id), status: 'draft',
        ...management('comments', 2, 1), 'comments-0-id': String(c.id), 'comments-0-text': 'changed!', 'comments-0-DELETE': 'on', 'comments-1-text': 'added',
      });
      expect(res.status).toBe(302);
      expect((await Comment.objects.filter({ post: p.id }).orderBy('id')).map((x) => x.text)).toEqual(['original', 'added']);
      // editor: view_comment only: rows shown read-only, no extra rows.
      const editor = await html(client, 'editor', url);
      expect(editor.text).toContain('id="comments-group"');
      expect(editor.text).not.toContain('name="comments-0-text"');
      expect(editor.text).not.toContain('name="comments-2-text"');
      expect(editor.text).not.toContain('Add another comment');
    });

    it('renders stacked inlines, applies the inline getQueryset and maxNum', async () => {
      const ann = await Author.create({ name: 'Ann', email: 'a@example.com' });
      const p = await Post.create({ title: 'P', slug: 'p', author: ann });
      await Comment.create({ post: p, text: 'visible' });
      const secret = await Comment.create({ post: p, text: 'hidden one' });
      const url = `/admin/blog/post/${p.id}/change/`;
      const page = await html(stacked, 'super', url);
      expect(page.text).toContain('class="module inline-group stacked"');
      expect(page.text).toContain('value="visible"');
      expect(page.text).not.toContain('hidden one');
      expect(page.text).toContain('data-max-num="2"');
      const res = await post(stacked, 'super', url, {
        title: 'P', slug: 'p', author: String(ann.id),
        ...management('comments', 1, 1), 'comments-0-id': String(secret.id), 'comments-0-text': 'exposed',
      });
      expect(res.status).toBe(200);
      expect((await Comment.objects.get({ id: secret.id })).text).toBe('hidden one');
    });

    it('checks inline options at registration', () => {
      expect(() => new AdminSite().register(Author, { inlines: [new TabularInline({ model: Comment })] })).toThrow(AdminOptionError);
      expect(() => new AdminSite().register(Post, { inlines: [new TabularInline({ model: Comment, fields: ['nope' as 'text'] })] })).toThrow(/nope/);
      expect(() => new TabularInline({ model: Comment, extra: -1 })).toThrow(/extra/);
      void Category;
    });
  },
  { models: [Author, Category, Post, Comment, LogEntry] },
);
