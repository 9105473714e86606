// The server of bench/suites/cache.mjs: one page that runs a realistic query
// (the 20 newest of 500 posts, SQLite through the ORM's connection) and
// renders it with a Nunjucks template. CACHED=1 wraps the view in
// cachePage(60); CACHE_BACKEND picks the cache ('locmem' or 'redis').
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApplication, path, serve } from '@atrium/core';
import { cachePage, caches } from '@atrium/core/cache';
import { db } from '@atrium/orm';
import { render } from '@atrium/templates';

const root = mkdtempSync(join(tmpdir(), 'atrium-bench-cache-'));
mkdirSync(join(root, 'templates'));
writeFileSync(
  join(root, 'templates', 'posts.html'),
  `<!doctype html><html><head><title>Latest posts</title></head><body><h1>Latest posts</h1><ul>
{% for post in posts %}<li><h2>{{ post.title }}</h2><p>{{ post.body | truncatewords(20) }}</p><small>{{ post.author }} · {{ post.views }} views</small></li>
{% endfor %}</ul></body></html>`,
);

const backend = process.env.CACHE_BACKEND ?? 'locmem';
const CACHES = {
  default:
    backend === 'redis'
      ? { BACKEND: 'redis', LOCATION: 'redis://127.0.0.1:6379/0', KEY_PREFIX: `bench${process.pid}` }
      : { BACKEND: 'locmem' },
};

async function latestPosts(request) {
  const posts = await db().selectFrom('bench_post').selectAll().orderBy('id', 'desc').limit(20).execute();
  return render(request, 'posts.html', { posts });
}

const view = process.env.CACHED === '1' ? cachePage(60)(latestPosts) : latestPosts;

const app = await createApplication({
  // The project root resolves '@atrium/orm' and '@atrium/templates'; the data and templates live in the temp folder.
  root: import.meta.dirname,
  settings: {
    SECRET_KEY: randomBytes(32).toString('hex'),
    DEBUG: false,
    ALLOWED_HOSTS: ['127.0.0.1', 'localhost'],
    INSTALLED_APPS: ['@atrium/orm'],
    DATABASES: { default: { ENGINE: 'sqlite', NAME: join(root, 'db.sqlite3'), OPTIONS: {} } },
    MIDDLEWARE: ['security', 'common'],
    CACHES,
    TEMPLATES: { DIRS: [join(root, 'templates')], APP_DIRS: false },
  },
  routes: [path('posts', view)],
});

const kysely = db();
await kysely.schema
  .createTable('bench_post')
  .ifNotExists()
  .addColumn('id', 'integer', (c) => c.primaryKey())
  .addColumn('title', 'text', (c) => c.notNull())
  .addColumn('body', 'text', (c) => c.notNull())
  .addColumn('author', 'text', (c) => c.notNull())
  .addColumn('views', 'integer', (c) => c.notNull())
  .execute();
const words = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua'.split(' ');
const rows = Array.from({ length: 500 }, (_, i) => ({
  id: i + 1,
  title: `Post number ${i + 1} <about> caching & speed`,
  body: Array.from({ length: 60 }, (_, j) => words[(i * 7 + j) % words.length]).join(' '),
  author: `author${i % 17}`,
  views: (i * 37) % 1000,
}));
await kysely.insertInto('bench_post').values(rows).execute();
if (backend === 'redis') await caches(app.context).default.clear();

const server = await serve(app, { host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 8000), handleSignals: true });
process.once('exit', () => rmSync(root, { recursive: true, force: true }));
void server;
