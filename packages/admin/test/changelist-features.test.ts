import { beforeAll, expect, it } from 'vitest';
import type { TestClient } from '@atrium/core/testing';
import { AdminOptionError, AdminSite, CHANGE, LogEntry } from '../src/index.js';
import { Author, Category, Comment, Post } from './support/blog.js';
import { forEachDatabase } from './support/databases.js';
import { adminClient, csrfOf } from './support/site.js';

const site = new AdminSite();
site.register(Author, { str: (a) => a.name });
site.register(Post, {
  listDisplay: ['title', 'status', 'featured', 'publishedOn', 'author.name'],
  listEditable: ['status', 'featured', 'publishedOn'],
  dateHierarchy: 'publishedOn',
  ordering: ['title'],
  listPerPage: 3,
  str: (p) => p.title,
});

let client: TestClient;
beforeAll(async () => {
  client = (await adminClient(site)).client;
});

const as = (user: string) => ({ headers: { 'x-test-user': user } });
async function page(user: string, url: string, query?: Record<string, string>) {
  const res = await client.get(url, { ...as(user), ...(query ? { query } : {}) });
  return { status: res.status, html: await res.text() };
}

async function posts() {
  const ann = await Author.create({ name: 'Ann', email: 'ann@example.com' });
  const dates = ['2024-03-05', '2024-03-20', '2024-11-02', '2025-01-15', null];
  const made = [];
  for (const [i, title] of ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'].entries()) {
    made.push(await Post.create({ title, slug: title.toLowerCase(), author: ann, publishedOn: dates[i] ?? null }));
  }
  return made;
}

/** The row fields the changelist page renders for each row, as a browser would post them back. */
function rowFields(html: string): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {};
  for (const match of html.matchAll(/<input type="hidden" name="(form-[^"]+)" value="([^"]*)"/g)) form[match[1]!] = match[2]!;
  for (const match of html.matchAll(/<select name="(form-\d+-status)"[^>]*>([\s\S]*?)<\/select>/g)) form[match[1]!] = /<option value="([^"]*)" selected/.exec(match[2]!)?.[1] ?? '';
  for (const match of html.matchAll(/<input type="checkbox" name="(form-\d+-featured)"([^>]*)>/g)) if (match[2]!.includes('checked')) form[match[1]!] = 'on';
  for (const match of html.matchAll(/<input type="date" name="(form-\d+-publishedOn)"(?: value="([^"]*)")?/g)) form[match[1]!] = match[2] ?? '';
  return form;
}

it('refuses listEditable and dateHierarchy options that cannot work', () => {
  const other = new AdminSite();
  expect(() => other.register(Post, { listDisplay: ['title', 'status'], listEditable: ['body'] })).toThrow(AdminOptionError);
  expect(() => other.register(Post, { listDisplay: ['title', 'status'], listEditable: ['title'] })).toThrow(/link to the change page/);
  expect(() => other.register(Post, { listDisplay: ['title', 'status'], listEditable: ['status'], readonlyFields: ['status'] })).toThrow(/readonlyFields/);
  expect(() => other.register(Post, { dateHierarchy: 'title' })).toThrow(/date or datetime/);
});

forEachDatabase(
  'changelist features',
  () => {
    it('drills down by year, month and day; bad dates are ignored', async () => {
      await posts();
      const top = await page('super', '/admin/blog/post/');
      expect(top.html).toContain('<a href="?publishedOn__year=2024">2024</a>');
      expect(top.html).toContain('<a href="?publishedOn__year=2025">2025</a>');
      const year = await page('super', '/admin/blog/post/', { publishedOn__year: '2024' });
      expect(year.html).toContain('<span class="result-count">3 posts</span>');
      expect(year.html).toContain('>March 2024</a>');
      expect(year.html).toContain('>November 2024</a>');
      expect(year.html).not.toContain('>April 2024</a>');
      expect(year.html).toContain('<a href="?">‹ All dates</a>');
      const month = await page('super', '/admin/blog/post/', { publishedOn__year: '2024', publishedOn__month: '3' });
      expect(month.html).toContain('<span class="result-count">2 posts</span>');
      expect(month.html).toContain('>March 5</a>');
      expect(month.html).toContain('>March 20</a>');
      const day = await page('super', '/admin/blog/post/', { publishedOn__year: '2024', publishedOn__month: '3', publishedOn__day: '20' });
      expect(day.html).toContain('<span class="result-count">1 post</span>');
      expect(day.html).toContain('March 20, 2024');
      for (const query of [{ publishedOn__year: 'abc' }, { publishedOn__year: '2024', publishedOn__month: '13' }, { publishedOn__year: '2024', publishedOn__month: '2', publishedOn__day: '31' }, { publishedOn__year: '<script>x</script>' }, { publishedOn__year: '99999999' }] as Array<Record<string, string>>) {
        const res = await page('super', '/admin/blog/post/', query);
        expect(res.status, JSON.stringify(query)).toBe(200);
        expect(res.html).not.toContain('<script>x');
      }
    });

    it('edits rows in the changelist, with errors shown per row', async () => {
      const made = await posts();
      const list = await page('editor', '/admin/blog/post/');
      expect(list.html).toContain('name="form-TOTAL_FORMS" value="3"');
      expect(list.html).toMatch(/<select name="form-0-status"/);
      expect(list.html).toContain('name="_save"');
      const form = rowFields(list.html);
      expect(form['form-0-pk']).toBe(String(made[0]!.id));
      const saved = await client.post('/admin/blog/post/', { ...as('editor'), form: { csrfmiddlewaretoken: csrfOf(list.html), _save: '1', ...form, 'form-0-status': 'live', 'form-1-featured': 'on' } });
      expect(saved.status).toBe(302);
      expect((await Post.objects.get({ id: made[0]!.id })).status).toBe('live');
      expect((await Post.objects.get({ id: made[1]!.id })).featured).toBe(true);
      expect((await Post.objects.get({ id: made[2]!.id })).status).toBe('draft');
      expect((await LogEntry.objects.filter({ actionFlag: CHANGE }).orderBy('objectId')).map((e) => e.changeMessage)).toEqual(['Changed status.', 'Changed featured.']);
      expect((await page('editor', '/admin/blog/post/')).html).toContain('2 posts were changed successfully.');

      const again = await page('editor', '/admin/blog/post/');
      const invalid = await client.post('/admin/blog/post/', {
        ...as('editor'),
        form: { csrfmiddlewaretoken: csrfOf(again.html), _save: '1', ...rowFields(again.html), 'form-0-status': 'bogus', 'form-2-publishedOn': '<script>alert(1)</script>', 'form-1-status': 'draft' },
      });
      expect(invalid.status).toBe(200);
      const html = await invalid.text();
      expect(html).toContain('Please correct the errors below.');
      expect(html).toMatch(/Select a valid choice/);
      expect(html).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
      expect(html).not.toContain('<script>alert');
      // Nothing saved while a row is invalid.
      expect((await Post.objects.get({ id: made[1]!.id })).status).toBe('draft');
      expect((await Post.objects.get({ id: made[0]!.id })).status).toBe('live');
    });

    it('ignores forged row keys and refuses saving without the change permission', async () => {
      const made = await posts();
      const list = await page('editor', '/admin/blog/post/');
      const token = csrfOf(list.html);
      const forged = await client.post('/admin/blog/post/?publishedOn__year=2025', { ...as('editor'), form: { csrfmiddlewaretoken: token, _save: '1', 'form-TOTAL_FORMS': '99999999', 'form-0-pk': String(made[0]!.id), 'form-0-status': 'live', 'form-1-pk': 'abc', 'form-1-status': 'live' } });
      expect(forged.status).toBe(302);
      // Alpha (2024) is outside the filtered list the form was posted to: untouched.
      expect((await Post.objects.get({ id: made[0]!.id })).status).toBe('draft');
      const viewer = await page('viewer', '/admin/blog/post/');
      expect(viewer.status).toBe(200);
      expect(viewer.html).not.toContain('form-TOTAL_FORMS');
      expect(viewer.html).not.toContain('name="_save"');
      const refused = await client.post('/admin/blog/post/', { ...as('viewer'), form: { csrfmiddlewaretoken: csrfOf(viewer.html), _save: '1', 'form-TOTAL_FORMS': '1', 'form-0-pk': String(made[0]!.id), 'form-0-status': 'live' } });
      expect(refused.status).toBe(403);
      expect((await Post.objects.get({ id: made[0]!.id })).status).toBe('draft');
      expect((await client.post('/admin/blog/post/', { form: { _save: '1' } })).status).toBe(403);
    });
  },
  { models: [Author, Category, Post, Comment, LogEntry] },
);
