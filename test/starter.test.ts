import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApplication, type AppConfig } from '@atrium/core';
import { TestClient } from '@atrium/core/testing';
import { LogEntry } from '@atrium/admin';
import { authModels, createSuperuser, createUser } from '@atrium/auth';
import { probePostgres, skipUnreachablePostgres, testDatabaseUrl, useTestDatabase } from '@atrium/orm/testing';
import settings from '../starter/settings.js';
import routes from '../starter/urls.js';
import { demo } from '../starter/blog/commands/demo.js';
import { DEMO_POSTS, DEMO_USER } from '../starter/blog/demo-data.js';
import { Comment, Post, Tag } from '../starter/blog/models.js';

/**
 * The starter blog in process, with its real settings, apps, middleware and
 * routes: the public list and detail pages, pagination, tags, the comment
 * form (validation, CSRF), login/logout, the admin's filters, search and
 * comment inline, and the idempotent `manage demo` command. On SQLite and on
 * PostgreSQL (skipped, saying why, when it is unreachable).
 */
const starterRoot = new URL('../starter/', import.meta.url).pathname;
const PASSWORD = 'correct horse battery staple';
const postgres = await probePostgres(testDatabaseUrl());

async function starterApps(): Promise<AppConfig[]> {
  const apps: AppConfig[] = [];
  for (const entry of settings.INSTALLED_APPS ?? []) {
    const module = (entry.startsWith('@') ? await import(`${entry}/app`) : await import(`../starter/${entry}/app.ts`)) as { default: AppConfig };
    apps.push(module.default);
  }
  return apps;
}

async function starterClient(): Promise<TestClient> {
  const application = await createApplication({
    settings: { ...settings, ALLOWED_HOSTS: ['testserver'], MIDDLEWARE: settings.MIDDLEWARE?.filter((name) => name !== 'logging'), DATABASES: {} },
    apps: await starterApps(),
    routes,
    root: starterRoot,
  });
  return new TestClient(application);
}

/** The masked CSRF token of a page's form. */
function csrfToken(html: string): string {
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html)?.[1];
  if (token === undefined) throw new Error('The page has no CSRF token.');
  return token;
}

async function logIn(client: TestClient, username: string): Promise<void> {
  const token = csrfToken(await (await client.get('/accounts/login/')).text());
  const response = await client.post('/accounts/login/', { form: { csrfmiddlewaretoken: token, username, password: PASSWORD } });
  expect(response.status).toBe(302);
}

/** Run `manage demo` in process; returns what it printed. */
async function runDemo(): Promise<string> {
  const stdout = new PassThrough();
  let printed = '';
  stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  expect(await demo.run({ project: null, cwd: starterRoot, stdout, stderr: new PassThrough() }, [], {})).toBe(0);
  return printed;
}

for (const engine of ['sqlite', 'postgres'] as const) {
  const skip = engine === 'postgres' && !postgres.ok;
  (skip ? describe.skip : describe)(`starter blog [${engine}]${skip ? ` — ${skipUnreachablePostgres(postgres, testDatabaseUrl())}` : ''}`, () => {
    void useTestDatabase({ models: [...authModels, LogEntry, Tag, Post, Comment], engine, hooks: { beforeAll, afterAll, beforeEach, afterEach } });
    let client: TestClient;

    beforeAll(async () => {
      client = await starterClient();
    });
    beforeEach(async () => {
      client.cookies.clear();
      await runDemo();
    });

    it('lists published posts newest first, five a page, without drafts', async () => {
      const first = await (await client.get('/blog/')).text();
      expect(first).toContain('<title>Blog · Atrium starter</title>');
      const titles = [...first.matchAll(/<h2><a href="\/blog\/([^/]+)\/">/g)].map((match) => match[1]);
      expect(titles).toEqual(['welcome', 'models-and-migrations', 'typed-queries', 'templates-with-autoescape', 'forms-that-validate']);
      expect(first).toContain('Page 1 of 2');
      const second = await (await client.get('/blog/?page=2')).text();
      expect(second).toContain('/blog/sqlite-and-postgresql/');
      expect(second).not.toContain('a-draft');
      expect((await client.get('/blog/?page=3')).status).toBe(404);
      expect((await client.get('/blog/a-draft/')).status).toBe(404);
    });

    it('escapes post text and lists a tag\'s posts; an unknown tag is a 404', async () => {
      expect(await (await client.get('/blog/templates-with-autoescape/')).text()).toContain('&lt;script&gt; stays text');
      const tagged = await (await client.get('/blog/tags/typescript/')).text();
      expect(tagged).toContain('Posts tagged “TypeScript”');
      expect(tagged).toContain('/blog/typed-queries/');
      expect(tagged).not.toContain('/blog/welcome/"');
      expect((await client.get('/blog/tags/no-such-tag/')).status).toBe(404);
    });

    it('shows a post with its comments and a comment form carrying the CSRF token', async () => {
      const html = await (await client.get('/blog/welcome/')).text();
      expect(html).toContain('<h2>2 comments</h2>');
      expect(html).toContain('The comment form checks its CSRF token');
      expect(html).toContain('name="csrfmiddlewaretoken"');
      expect(html).toContain('name="name"');
      expect(html).toContain('<textarea name="body"');
    });

    it('saves a valid comment and redirects back to it with a message', async () => {
      const token = csrfToken(await (await client.get('/blog/typed-queries/')).text());
      const response = await client.post('/blog/typed-queries/', { form: { csrfmiddlewaretoken: token, name: 'Ann', body: 'Great <b>post</b>' } });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe('/blog/typed-queries/#comments');
      const page = await (await client.get('/blog/typed-queries/')).text();
      expect(page).toContain('Thank you, your comment is published.');
      expect(page).toContain('Great &lt;b&gt;post&lt;/b&gt;');
      expect(await Comment.objects.filter({ name: 'Ann' }).count()).toBe(1);
    });

    it('shows the form again with errors (400) for an invalid comment, saving nothing', async () => {
      const token = csrfToken(await (await client.get('/blog/welcome/')).text());
      const response = await client.post('/blog/welcome/', { form: { csrfmiddlewaretoken: token, name: 'x'.repeat(81), body: '' } });
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toContain('class="errorlist"');
      expect(html).toContain('This field is required.');
      expect(html).toMatch(/at most 80 characters/);
      expect(await Comment.objects.count()).toBe(3);
    });

    it('refuses a comment posted without the CSRF token (403)', async () => {
      await client.get('/blog/welcome/');
      const response = await client.post('/blog/welcome/', { form: { name: 'Mallory', body: 'forged' } });
      expect(response.status).toBe(403);
      expect(await Comment.objects.filter({ name: 'Mallory' }).count()).toBe(0);
    });

    it('logs in and out, showing who is signed in', async () => {
      await createUser({ username: 'reader', password: PASSWORD });
      expect(await (await client.get('/blog/')).text()).toContain('href="/accounts/login/?next=%2Fblog%2F"');
      await logIn(client, 'reader');
      const signedIn = await (await client.get('/blog/')).text();
      expect(signedIn).toContain('Signed in as reader');
      expect(signedIn).not.toContain('href="/admin/"');
      const logout = await client.post('/accounts/logout/', { form: { csrfmiddlewaretoken: csrfToken(signedIn) } });
      expect(logout.status).toBe(302);
      expect(logout.headers.get('location')).toBe('/blog/');
      expect(await (await client.get('/blog/')).text()).not.toContain('Signed in as');
    });

    it('gives staff the admin with filters, search and the comments inline', async () => {
      await createSuperuser({ username: 'editor', email: 'editor@example.com', password: PASSWORD });
      await logIn(client, 'editor');
      const drafts = await (await client.get('/admin/blog/post/?status=draft')).text();
      expect(drafts).toContain('A draft nobody sees');
      expect(drafts).not.toContain('Typed queries');
      const found = await (await client.get('/admin/blog/post/?q=autoescape')).text();
      expect(found).toContain('Templates with autoescape');
      expect(found).not.toContain('Typed queries');
      const welcome = await Post.objects.get({ slug: 'welcome' });
      const change = await (await client.get(`/admin/blog/post/${welcome.id}/change/`)).text();
      expect(change).toContain('The comment form checks its CSRF token');
      expect(change).toMatch(/name="[^"]*comment[^"]*-TOTAL_FORMS"/i);
    });

    it('loads the demo content once: running the command again adds nothing', async () => {
      const again = await runDemo();
      expect(again).toContain(`Demo content: 0 post(s) added, ${DEMO_POSTS.length} already there.`);
      expect(again).toContain(`Demo superuser '${DEMO_USER.username}' already exists`);
      expect(await Post.objects.count()).toBe(DEMO_POSTS.length);
      expect(await Tag.objects.count()).toBe(3);
    });
  });
}
