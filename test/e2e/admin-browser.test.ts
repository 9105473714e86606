/**
 * The admin in a real browser (Debian chromium driven by playwright-core):
 * log in on the admin login page, add a post with an inline comment (the
 * author picked by autocomplete, the slug prepopulated), search, filter,
 * edit, delete it with the bulk action, log out; screenshots of the
 * changelist and change form go to test/.artifacts/ (and the change form to
 * docs/images/ when ATRIUM_UPDATE_DOCS_IMAGES=1). Every request must go to
 * the test server (no CDN), the changelist must fit a 375px phone, and the
 * CSS must have a dark theme.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApplication, include, serve, type Application, type RunningServer } from '@atrium/core';
import { f, model, throughModel, type AnyModel } from '@atrium/orm';
import { useTestDatabase } from '@atrium/orm/testing';
import ormApp from '@atrium/orm/app';
import authApp from '@atrium/auth/app';
import adminApp from '@atrium/admin/app';
import { Argon2Hasher, Group, User, authModels, authRoutes, createUser, registerPasswordHasher } from '@atrium/auth';
import { AdminSite, LogEntry, TabularInline } from '@atrium/admin';

const CHROMIUM = '/usr/bin/chromium';
const root = resolve(import.meta.dirname, '..', '..');
const artifacts = join(root, 'test', '.artifacts');
const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser && process.env['CI']) throw new Error(`${CHROMIUM} is missing: .ci installs Debian's chromium; the admin browser test must run in CI.`);

const Author = model('e2e.Author', { name: f.string({ maxLength: 100 }) }, { ordering: ['name'] });
const Post = model('e2e.Post', {
  title: f.string({ maxLength: 200 }),
  slug: f.slug(),
  status: f.enum(['draft', 'live'], { default: 'draft', labels: { draft: 'Draft', live: 'Live' } }),
  author: f.foreignKey(() => Author, { onDelete: 'CASCADE', relatedName: 'posts' }),
});
const Comment = model('e2e.Comment', { post: f.foreignKey(() => Post, { onDelete: 'CASCADE', relatedName: 'comments' }), text: f.string({ maxLength: 200 }) });

const site = new AdminSite();
site.register(Author, { searchFields: ['name'], str: (a) => a.name });
site.register(Post, {
  listDisplay: ['title', 'status', 'author.name'],
  listFilter: ['status'],
  searchFields: ['title'],
  fields: ['title', 'slug', 'author', 'status'],
  prepopulatedFields: { slug: ['title'] },
  autocompleteFields: ['author'],
  inlines: [new TabularInline({ model: Comment, fields: ['text'], extra: 1, str: (c) => c.text })],
  str: (p) => p.title,
});

registerPasswordHasher('e2e_argon2', () => new Argon2Hasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }));
const tables: AnyModel[] = [...authModels, throughModel(Group.fields.permissions), throughModel(User.fields.groups), throughModel(User.fields.userPermissions), Author, Post, Comment, LogEntry];

describe.skipIf(!hasBrowser)(`the admin in chromium${hasBrowser ? '' : ` (skipped: ${CHROMIUM} is not installed and CI is not set)`}`, () => {
  void useTestDatabase({ models: tables, engine: 'sqlite', isolate: false, hooks: { beforeAll, afterAll, beforeEach, afterEach } });
  let app: Application;
  let server: RunningServer;
  let browser: Browser;
  const requested: string[] = [];

  beforeAll(async () => {
    app = await createApplication({
      settings: {
        DEBUG: true,
        SECRET_KEY: 'admin-browser-secret-key-0123456789abcdefghijklmnop',
        ALLOWED_HOSTS: ['127.0.0.1', 'localhost'],
        MIDDLEWARE: ['security', 'static', 'sessions', 'common', 'csrf', 'auth', 'messages'],
        SESSION_ENGINE: 'memory',
        PASSWORD_HASHERS: ['e2e_argon2'],
        AUTH_THROTTLE_DELAY_MS: 0,
        TEMPLATES: { BACKEND: '@atrium/templates', DIRS: [], APP_DIRS: true, OPTIONS: {} },
      },
      routes: [include('accounts/', authRoutes, { namespace: 'auth' }), include('admin/', site.urls, { namespace: 'admin' })],
      apps: [ormApp, authApp, adminApp],
      env: {},
    });
    server = await serve(app, { host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking'] });
    mkdirSync(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close(1000);
    await app?.close();
  });

  async function newPage(width = 1200): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    page.on('request', (request) => requested.push(request.url()));
    page.on('pageerror', (error) => requested.push(`pageerror: ${error.message}`));
    return page;
  }

  const step = (name: string) => process.env['ATRIUM_E2E_TRACE'] && console.log(`[admin-browser] ${name}`);

  it('logs in, adds a post with an inline comment, searches, filters, edits, deletes and logs out', { timeout: 120_000 }, async () => {
    await createUser({ username: 'ada', password: 'ada-password-1', isStaff: true, isSuperuser: true });
    await Author.create({ name: 'Ann Author' });
    await Author.create({ name: 'Bob Writer' });
    const base = server.url;
    const page = await newPage();

    // Log in through the admin login page.
    await page.goto(`${base}/admin/`);
    expect(new URL(page.url()).pathname).toBe('/admin/login/');
    await page.fill('input[name=username]', 'ada');
    await page.fill('input[name=password]', 'ada-password-1');
    await Promise.all([page.waitForURL(`${base}/admin/`), page.click('button:has-text("Log in")')]);
    await expect(page.textContent('body')).resolves.toContain('Welcome');

    step('// Add a post:');
    // Add a post: the slug fills itself, the author comes from autocomplete, one inline row typed, one added by script.
    await page.goto(`${base}/admin/e2e/post/add/`);
    await page.fill('#id_title', 'Browser Post Über');
    expect(await page.inputValue('#id_slug')).toBe('browser-post-uber');
    step("await page.click('#id_author');");
    await page.click('#id_author');
    await page.keyboard.type('ann');
    await page.waitForSelector('#id_author-listbox [role=option]:has-text("Ann Author")');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const ann = await Author.objects.get({ name: 'Ann Author' });
    expect(await page.inputValue('input[name=author]')).toBe(String(ann.id));
    await page.selectOption('#id_status', 'live');
    step('await page.fill(\'input[name="comments-0-');
    await page.fill('input[name="comments-0-text"]', 'First comment');
    await page.click('button.add-inline');
    await page.fill('input[name="comments-1-text"]', 'Added by script');
    expect(await page.inputValue('input[name="comments-TOTAL_FORMS"]')).toBe('2');
    await page.screenshot({ path: join(artifacts, 'admin-add-form.png'), fullPage: true });
    step('await Promise.all([page.waitForURL(/\\/ad');
    await Promise.all([page.waitForURL(/\/admin\/e2e\/post\/\d+\/change\/$/), page.click('button[name=_continue]')]);
    const post = await Post.objects.get({ slug: 'browser-post-uber' });
    expect(post.authorId).toBe(ann.id);
    expect((await Comment.objects.filter({ post: post.id }).orderBy('id')).map((c) => c.text)).toEqual(['First comment', 'Added by script']);
    expect(await page.inputValue('#id_author')).toBe('Ann Author');
    await page.screenshot({ path: join(artifacts, 'admin-change-form.png'), fullPage: true });
    if (process.env['ATRIUM_UPDATE_DOCS_IMAGES'] === '1') {
      const image = join(root, 'docs', 'images', 'admin-change-form.png');
      mkdirSync(join(root, 'docs', 'images'), { recursive: true });
      await page.setViewportSize({ width: 960, height: 1000 });
      await page.screenshot({ path: image });
      await page.setViewportSize({ width: 1200, height: 900 });
      expect(statSync(image).size).toBeLessThan(200_000);
    }

    step('// Search, then filter');
    // Search, then filter, in the changelist.
    await Post.create({ title: 'Other draft', slug: 'other', author: ann });
    await page.goto(`${base}/admin/e2e/post/`);
    await page.fill('#searchbar', 'browser');
    await Promise.all([page.waitForURL(/q=browser/), page.keyboard.press('Enter')]);
    let rows = await page.locator('#result_list tbody tr').allTextContents();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Browser Post Über');
    await page.goto(`${base}/admin/e2e/post/`);
    await Promise.all([page.waitForURL(/status=live/), page.click('#changelist-filter a:has-text("Live")')]);
    rows = await page.locator('#result_list tbody tr').allTextContents();
    expect(rows).toHaveLength(1);
    await page.screenshot({ path: join(artifacts, 'admin-changelist.png'), fullPage: true });

    step('// Edit it:');
    // Edit it: follow the link, change the title, remove an inline row.
    await Promise.all([page.waitForURL(/\/change\/$/), page.click('#result_list a:has-text("Browser Post Über")')]);
    await page.fill('#id_title', 'Browser Post Edited');
    await page.check('input[name="comments-1-DELETE"]');
    await Promise.all([page.waitForURL(`${base}/admin/e2e/post/`), page.click('button[name=_save]')]);
    await expect(page.textContent('.messagelist')).resolves.toContain('Browser Post Edited');
    expect((await Comment.objects.filter({ post: post.id })).map((c) => c.text)).toEqual(['First comment']);

    step('// Delete it');
    // Delete it with the bulk action, through the confirmation page.
    await page.check(`input.action-select[value="${post.id}"]`);
    await page.selectOption('select[name=action]', 'delete_selected');
    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Go")')]);
    await expect(page.textContent('body')).resolves.toContain('Are you sure');
    await Promise.all([page.waitForURL(`${base}/admin/e2e/post/`), page.click('button:has-text("Yes, I’m sure")')]);
    expect(await Post.objects.filter({ id: post.id }).count()).toBe(0);
    expect(await Comment.objects.count()).toBe(0);

    step('// Log out');
    // Log out (a POST from the header's form).
    await Promise.all([page.waitForLoadState('load'), page.click('.logout-form button')]);
    await expect(page.textContent('body')).resolves.toMatch(/Logged out/i);
    await page.goto(`${base}/admin/`);
    expect(new URL(page.url()).pathname).toBe('/admin/login/');
    await page.context().close();

    // The pages asked nothing of any other origin (no CDN) and threw no script errors.
    const origin = new URL(base).origin;
    expect(requested.filter((url) => url.startsWith('pageerror:') || new URL(url).origin !== origin)).toEqual([]);
  });

  it('fits a 375px phone without horizontal scrolling, and follows a dark colour scheme', { timeout: 60_000 }, async () => {
    await createUser({ username: 'bea', password: 'bea-password-1', isStaff: true, isSuperuser: true });
    const ann = await Author.create({ name: 'Ann Author' });
    for (let i = 0; i < 5; i++) await Post.create({ title: `A rather long post title number ${i} that could push the page wide`, slug: `p${i}`, author: ann, status: i % 2 ? 'live' : 'draft' });
    const page = await newPage(375);
    await page.goto(`${server.url}/admin/login/?next=/admin/e2e/post/`);
    await page.fill('input[name=username]', 'bea');
    await page.fill('input[name=password]', 'bea-password-1');
    await Promise.all([page.waitForURL(/\/admin\/e2e\/post\/$/), page.click('button:has-text("Log in")')]);
    const width = (await page.evaluate(`({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
      wide: [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 8).map((el) => el.tagName + '.' + el.className + '#' + el.id) })`)) as { scroll: number; client: number; wide: string[] };
    expect(width.scroll, `elements wider than the phone: ${width.wide.join(', ')}`).toBeLessThanOrEqual(width.client);
    await page.screenshot({ path: join(artifacts, 'admin-changelist-phone.png'), fullPage: true });
    const light = (await page.evaluate('getComputedStyle(document.body).backgroundColor')) as string;
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = (await page.evaluate('({ bg: getComputedStyle(document.body).backgroundColor, fg: getComputedStyle(document.body).color })')) as { bg: string; fg: string };
    expect(light).toBe('rgb(255, 255, 255)');
    expect(dark.bg).not.toBe(light);
    const luminance = (rgb: string): number => {
      const [r, g, b] = rgb.match(/\d+/g)!.map(Number) as [number, number, number];
      const lin = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    // A dark background, and text on it with at least WCAG AA contrast (4.5:1).
    expect(luminance(dark.bg)).toBeLessThan(0.05);
    expect((luminance(dark.fg) + 0.05) / (luminance(dark.bg) + 0.05)).toBeGreaterThan(4.5);
    await page.context().close();
  });
});
