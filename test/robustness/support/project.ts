import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

export const REPO = resolve(import.meta.dirname, '../../..');
export const MANAGE = join(REPO, 'packages/cli/bin/manage.js');
export const SUPERUSER = { username: 'robust-admin', password: 'violet-kettle-orbit-42' };

/**
 * A small real project for the socket, fault and load tests: the ORM, forms
 * and auth apps (sessions, CSRF, login), and an `items` app whose views write
 * rows, so a test can count what a request left in the database. Settings
 * come from the environment the server is started with (ROBUST_DATABASE,
 * ROBUST_SETTINGS), so one project serves SQLite and PostgreSQL runs.
 */
const FILES: Record<string, string> = {
  'package.json': '{ "type": "module", "private": true }\n',
  'settings.ts': `import { defineSettings } from '@atrium/core';

const database = JSON.parse(process.env['ROBUST_DATABASE'] ?? '{"ENGINE":"sqlite","NAME":"db.sqlite3"}');
const extra = JSON.parse(process.env['ROBUST_SETTINGS'] ?? '{}');

export default defineSettings({
  SECRET_KEY: 'c2f9Qk7rT1xWbYp0LmN8vZ3aHs6dJe4uGi5oKq2wRt9yXcVb',
  DEBUG: false,
  ALLOWED_HOSTS: ['127.0.0.1', 'localhost'],
  INSTALLED_APPS: ['@atrium/orm', '@atrium/forms', '@atrium/auth', 'items'],
  MIDDLEWARE: ['security', 'sessions', 'common', 'csrf', 'auth', 'messages'],
  ROOT_URLCONF: 'urls',
  LOGIN_REDIRECT_URL: '/items/count/',
  TEMPLATES: { OPTIONS: { contextProcessors: ['request', 'csrf', 'messages', 'auth'] } },
  DATABASES: { default: database },
  FILE_UPLOAD_TEMP_DIR: 'uploads-tmp',
  STATIC_ROOT: 'staticfiles',
  ...extra,
});
`,
  'urls.ts': `import { include, path } from '@atrium/core';
import { authRoutes } from '@atrium/auth';
import * as views from './items/views.js';

export default [
  path('items/count/', views.count, { name: 'count', methods: ['GET'] }),
  path('items/', views.createFromForm, { name: 'create', methods: ['POST', 'PUT', 'DELETE'] }),
  path('api/items/', views.createFromJson, { name: 'create-json', methods: ['POST'] }),
  path('api/upload/', views.upload, { name: 'upload', methods: ['POST'] }),
  path('api/slow-write/', views.slowWrite, { name: 'slow-write', methods: ['POST'] }),
  path('api/pid/', views.pid, { name: 'pid', methods: ['GET'] }),
  path('api/sleep/', views.sleep, { name: 'sleep', methods: ['GET'] }),
  path('whoami/', views.whoami, { name: 'whoami', methods: ['GET'] }),
  path('api/cached-count/', views.cachedCount, { name: 'cached-count', methods: ['GET'] }),
  include('accounts/', authRoutes, { namespace: 'auth' }),
];
`,
  'items/app.ts': `import { defineApp } from '@atrium/core';

export default defineApp({ label: 'items', path: import.meta.dirname });
`,
  'items/models.ts': `import { f, model } from '@atrium/orm';

export const Item = model('items.Item', { title: f.string({ maxLength: 200 }) });
`,
  'items/migrations/0001_initial.ts': `import { migration, ops, f } from '@atrium/orm/migrations';

export default migration({
  initial: true,
  dependencies: [],
  operations: [
    ops.createModel({ name: 'Item', fields: [['id', f.auto()], ['title', f.string({ maxLength: 200 })]] }),
  ],
});
`,
  'items/views.ts': `import { json, type HttpRequest } from '@atrium/core';
import { caches } from '@atrium/core/cache';
import { atomic } from '@atrium/orm';
import { csrfExempt, getUser } from '@atrium/auth';
import { Item } from './models.js';

const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** GET: how many rows exist, for before/after comparisons. */
export async function count() {
  return json({ count: await Item.objects.count() });
}

/** CSRF-protected: one row from the form field 'title'. */
export async function createFromForm(request: HttpRequest) {
  const { fields } = await request.form();
  const item = await Item.objects.create({ title: (fields.get('title') ?? '').slice(0, 200) });
  return json({ id: item.id }, { status: 201 });
}

/** JSON API (CSRF-exempt): one row from {"title": ...}. */
export const createFromJson = csrfExempt(async (request: HttpRequest) => {
  const body = await request.json();
  const title = typeof body === 'object' && body !== null && typeof (body as { title?: unknown }).title === 'string' ? (body as { title: string }).title : 'untitled';
  const item = await Item.objects.create({ title: title.slice(0, 200) });
  return json({ id: item.id }, { status: 201 });
});

/** Multipart (CSRF-exempt): one row per uploaded file, all in one transaction. */
export const upload = csrfExempt(async (request: HttpRequest) => {
  const { files } = await request.form();
  const names = [...files.values()].flat().map((file) => file.filename);
  await atomic(async () => {
    for (const name of names) await Item.objects.create({ title: name.slice(0, 200) });
  });
  return json({ saved: names.length }, { status: 201 });
});

/** Write a row, then hold the transaction open for ?ms= before committing (worker-kill tests). */
export const slowWrite = csrfExempt(async (request: HttpRequest) => {
  const ms = Math.min(Number(request.query.get('ms') ?? '1000') || 0, 30_000);
  const item = await atomic(async () => {
    const created = await Item.objects.create({ title: request.query.get('title') ?? 'slow' });
    await pause(ms);
    return created;
  });
  return json({ id: item.id }, { status: 201 });
});

/** Which process answered. */
export function pid() {
  return json({ pid: process.pid });
}

/** Answer after ?ms= (in-flight requests during shutdown and reload). */
export async function sleep(request: HttpRequest) {
  await pause(Math.min(Number(request.query.get('ms') ?? '100') || 0, 30_000));
  return json({ pid: process.pid });
}

/** The row count through the default cache (5 s): a miss when the cache is down, never an error. */
export async function cachedCount(request: HttpRequest) {
  const cache = caches(request.app).default;
  let hit = true;
  const count = await cache.getOrSet('item-count', async () => {
    hit = false;
    return Item.objects.count();
  }, 5);
  return json({ count, hit });
}

/** The logged-in username, or null. */
export async function whoami(request: HttpRequest) {
  const user = await getUser(request);
  return json({ username: user.isAuthenticated ? (user as unknown as { username: string }).username : null });
}
`,
};

export interface ManageResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface TestProject {
  readonly dir: string;
  /** The DATABASES['default'] entry the project runs on. */
  readonly database: Readonly<Record<string, unknown>>;
  /** Environment for every process of this project (database, settings overrides). */
  readonly env: Record<string, string>;
  /** Run `manage ARGS` to the end (bounded by timeoutMs). */
  manage(args: string[], options?: { timeoutMs?: number; env?: Record<string, string> }): Promise<ManageResult>;
  /** Drop the PostgreSQL database (if any) and delete the folder. */
  cleanup(): Promise<void>;
}

export interface ProjectOptions {
  /** 'sqlite' (a file in the project) or a PostgreSQL server URL; a fresh database is created on it. */
  database: 'sqlite' | { postgres: string };
  /** Settings merged over the project's (limits, caches, sessions...). */
  settings?: Record<string, unknown>;
  /** OPTIONS of the default database (pool size, connectionTimeoutMillis...). */
  databaseOptions?: Record<string, unknown>;
}

/** The environment of a child process: this one's, minus ATRIUM_* and DEBUG overrides that would change the project. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('ATRIUM_') && key !== 'DEBUG' && !key.startsWith('VITEST') && key !== 'NODE_ENV') env[key] = value;
  }
  return { ...env, ...extra };
}

/** Write the project, create its database, migrate it and create the superuser. */
export async function createTestProject(options: ProjectOptions): Promise<TestProject> {
  const dir = mkdtempSync(join(tmpdir(), 'atrium-robust-'));
  for (const [name, content] of Object.entries(FILES)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  mkdirSync(join(dir, 'uploads-tmp'));
  mkdirSync(join(dir, 'templates'));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');

  let dropDatabase: (() => Promise<void>) | null = null;
  let database: Record<string, unknown> = { ENGINE: 'sqlite', NAME: 'db.sqlite3' };
  if (options.database !== 'sqlite') {
    const server = new URL(options.database.postgres);
    const name = `atrium_robust_${process.pid}_${randomBytes(4).toString('hex')}`;
    await adminQuery(server.href, `create database "${name}"`);
    dropDatabase = () => adminQuery(server.href, `drop database if exists "${name}" with (force)`).then(() => undefined);
    database = { ENGINE: 'postgres', NAME: name, HOST: server.hostname, PORT: Number(server.port || 5432), USER: decodeURIComponent(server.username || 'postgres') };
  }
  if (options.databaseOptions) database['OPTIONS'] = options.databaseOptions;
  const env = cleanEnv({ ROBUST_DATABASE: JSON.stringify(database), ROBUST_SETTINGS: JSON.stringify(options.settings ?? {}) });

  const project: TestProject = {
    dir,
    database,
    env,
    manage: (args, runOptions = {}) => runManage(dir, { ...env, ...runOptions.env }, args, runOptions.timeoutMs ?? 60_000),
    async cleanup() {
      await dropDatabase?.().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const migrated = await project.manage(['migrate']);
  if (migrated.code !== 0) throw new Error(`manage migrate failed:\n${migrated.stdout}\n${migrated.stderr}`);
  const superuser = await project.manage(['createsuperuser', '--no-input', '--username', SUPERUSER.username, '--email', 'admin@example.com'], { env: { ATRIUM_SUPERUSER_PASSWORD: SUPERUSER.password } });
  if (superuser.code !== 0) throw new Error(`manage createsuperuser failed:\n${superuser.stdout}\n${superuser.stderr}`);
  return project;
}

function runManage(cwd: string, env: Record<string, string>, args: string[], timeoutMs: number): Promise<ManageResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [MANAGE, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    });
  });
}

/** One statement (with `$1`... `values`) on a short-lived connection. */
export async function adminQuery(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A URL of the project's own PostgreSQL database, for adminQuery (the test servers trust loopback, as in .ci/services.sh). */
export function projectDatabaseUrl(project: TestProject): string {
  const { USER, HOST, PORT, NAME } = project.database as Record<string, string | number>;
  return `postgres://${String(USER)}@${String(HOST)}:${String(PORT)}/${String(NAME)}`;
}

/**
 * Rows of the items table, all of them or those titled `title`, read
 * straight from the database file or server (not through the project), so a
 * test can compare them with the writes it saw acknowledged.
 */
export async function countItems(project: TestProject, title?: string): Promise<number> {
  const where = title === undefined ? '' : ' where title = $1';
  if (project.database['ENGINE'] === 'sqlite') {
    const db = new Database(join(project.dir, String(project.database['NAME'])), { readonly: true });
    try {
      const row = db.prepare(`select count(*) as n from items_item${where.replace('$1', '?')}`).get(...(title === undefined ? [] : [title])) as { n: number };
      return row.n;
    } finally {
      db.close();
    }
  }
  const result = await adminQuery(projectDatabaseUrl(project), `select count(*)::int as n from items_item${where}`, title === undefined ? [] : [title]);
  return Number(result.rows[0].n);
}
