import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadOrderWorkspace, RECORD_SETTINGS_RUN } from './support/load-order-project.js';
import { freePort } from './support/serve-process.js';

const repo = resolve(import.meta.dirname, '..');
const manage = join(repo, 'packages/cli/bin/manage.js');
const starter = join(repo, 'starter');
const BANNER = /Atrium \S+ — serving (\S+) at (http:\/\/\S+\/) \(Ctrl-C to quit\)/;

function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('ATRIUM_') && key !== 'DEBUG') env[key] = value;
  }
  return env;
}

/** A running `manage runserver` with its output so far. */
class ManageProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(cwd: string, args: string[]) {
    this.child = spawn(process.execPath, [manage, ...args], { cwd, env: cleanEnv() });
    this.child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolveExit) => this.child.on('exit', (code) => resolveExit(code)));
    running.add(this);
    void this.exited.then(() => running.delete(this));
  }

  /** Resolve with the match once `pattern` shows up in stdout `count` times. */
  waitFor(pattern: RegExp, count = 1, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    return new Promise((resolveMatch, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${pattern}; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`));
      }, timeoutMs);
      const check = () => {
        const matches = [...this.stdout.matchAll(new RegExp(pattern.source, 'g'))];
        if (matches.length >= count) {
          cleanup();
          resolveMatch(matches[count - 1]!);
        }
      };
      const onExit = () => {
        cleanup();
        reject(new Error(`manage exited while waiting for ${pattern}; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.child.stdout.off('data', check);
        this.child.off('exit', onExit);
      };
      this.child.stdout.on('data', check);
      this.child.once('exit', onExit);
      check();
    });
  }
}

const running = new Set<ManageProcess>();
const made: string[] = [];
afterEach(() => {
  for (const proc of running) proc.child.kill('SIGKILL');
});
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('manage runserver --noreload on the starter', { timeout: 120_000 }, () => {
  it('serves pages, parameters, JSON, static files and 404s, then exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const server = new ManageProcess(starter, ['runserver', '--noreload', `127.0.0.1:${port}`]);
    const [, settingsPath, url] = await server.waitFor(BANNER);
    expect(settingsPath).toBe('settings.ts');
    expect(url).toBe(`http://127.0.0.1:${port}/`);

    const home = await fetch(url!);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toContain('text/html');
    const homeHtml = await home.text();
    // base.html's nav, built with url() and static() ...
    expect(homeHtml).toContain('<nav class="site-nav" aria-label="Main">');
    expect(homeHtml).toContain('<a href="/about/">About</a>');
    expect(homeHtml).toContain('<a href="/hello/world/">Hello</a>');
    expect(homeHtml).toContain('<link rel="stylesheet" href="/static/pages/site.css">');
    // ... around the page's own block.
    expect(homeHtml).toContain('<h1>Welcome to Atrium</h1>');
    expect(homeHtml).toContain('<title>Home · Atrium starter</title>');

    const hello = await fetch(`${url}hello/ada-lovelace/?times=2`);
    expect(hello.status).toBe(200);
    const helloHtml = await hello.text();
    expect(helloHtml).toContain('<h1>Hello, ada-lovelace!</h1>');
    expect(helloHtml.match(/<li>Hello, ada-lovelace!<\/li>/g)).toHaveLength(2);
    expect(helloHtml).toContain('<nav class="site-nav"');

    const about = await fetch(`${url}about/`);
    expect(about.status).toBe(200);
    expect(await about.text()).toContain('<h1>About this site</h1>');

    const status = await fetch(`${url}api/status/`);
    expect(status.status).toBe(200);
    expect(status.headers.get('content-type')).toContain('application/json');
    const body = (await status.json()) as { ok: boolean; time: string };
    expect(body.ok).toBe(true);
    expect(Math.abs(Date.parse(body.time) - Date.now())).toBeLessThan(60_000);

    const css = await fetch(`${url}static/pages/site.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).toContain('.site-nav');

    const missing = await fetch(`${url}no-such-page/`);
    expect(missing.status).toBe(404);
    await missing.arrayBuffer();

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('names the port when it is already taken, and exits 1', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const port = (blocker.address() as { port: number }).port;
    try {
      const server = new ManageProcess(starter, ['runserver', '--noreload', `127.0.0.1:${port}`]);
      expect(await server.exited).toBe(1);
      expect(server.stderr).toContain(`Error: Port ${port} is already in use on 127.0.0.1`);
      // With the reloader, the parent gives up too instead of waiting for a change.
      const reloading = new ManageProcess(starter, ['runserver', `${port}`]);
      expect(await reloading.exited).toBe(1);
      expect(reloading.stderr).toContain(`Error: Port ${port} is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('refuses a malformed address before starting anything', async () => {
    const server = new ManageProcess(starter, ['runserver', 'localhost:http']);
    expect(await server.exited).toBe(1);
    expect(server.stderr).toBe("Error: 'localhost:http' is not a valid address and port: port 'http' is not a number. Examples: 8001, 0.0.0.0:8000, [::1]:8000.\n");
  });
});

describe('manage runserver with the reloader', () => {
  it('restarts the server when a project file changes, and stops it on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atrium-reload-'));
    made.push(dir);
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, 'settings.ts'), "export default { SECRET_KEY: 'dev-only-insecure-reload-test-key-0123456789', DEBUG: true, STATIC_ROOT: 'out', TEMPLATES: { DIRS: [] } };\n");
    const urls = (version: string) =>
      `import { path, text } from '@atrium/core';\n\nexport default [path('', () => text('${version}')), path('flags/', () => text(process.execArgv.join(' ')))];\n`;
    writeFileSync(join(dir, 'urls.ts'), urls('version one'));

    const port = await freePort();
    const server = new ManageProcess(dir, ['runserver', `${port}`]);
    const [, , url] = await server.waitFor(BANNER);
    expect(await (await fetch(url!)).text()).toBe('version one');
    // The child runs with the memory-saving flags of a development server (issue #10).
    expect((await (await fetch(`${url}flags/`)).text()).split(' ')).toEqual(expect.arrayContaining(['--max-semi-space-size=1', '--optimize-for-size', '--v8-pool-size=1']));

    // A database file the server writes itself is ignored: the line names urls.ts alone, not "and 1 more".
    writeFileSync(join(dir, 'db.sqlite3'), '');
    writeFileSync(join(dir, 'urls.ts'), urls('version two'));
    const [line] = await server.waitFor(/Change detected in .*\n/);
    expect(line).toBe('Change detected in urls.ts; restarting the server.\n');
    await server.waitFor(BANNER, 2);
    expect(await (await fetch(url!)).text()).toBe('version two');

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.stdout.match(/Change detected/g)).toHaveLength(1);
    // The child went with the parent: nothing answers on the port any more.
    await expect(fetch(url!)).rejects.toThrow();
  });
});

describe('manage runserver on a first start (no INSTALLED_APPS cache, no node_modules in the project)', () => {
  it('loads the package apps before the project\'s TypeScript and is not restarted by the cache it writes', async () => {
    // Packages come from a parent folder, as in a monorepo checkout: the project itself has no node_modules yet.
    const workspace = loadOrderWorkspace('atrium-first-start-');
    made.push(workspace.parent);
    const dir = workspace.site('site', {
      'settings.ts': `${RECORD_SETTINGS_RUN}export default { SECRET_KEY: 'dev-only-insecure-first-start-key-0123456789', DEBUG: true, INSTALLED_APPS: ['order-app'], TEMPLATES: { DIRS: [] } };\n`,
      'urls.ts': "import { path, text } from '@atrium/core';\n\nexport default [path('order/', () => text((globalThis as { loadOrder?: string[] }).loadOrder?.join(', ') ?? ''))];\n",
    });

    const port = await freePort();
    const server = new ManageProcess(dir, ['runserver', `${port}`]);
    const [, , url] = await server.waitFor(BANNER);
    // The worker read INSTALLED_APPS in a short-lived process first, so the package app was imported before
    // settings.ts, without the TypeScript loader's hooks (with them the idle worker was 10-15 MB larger).
    expect(await (await fetch(`${url}order/`)).text()).toBe('package app, settings.ts');
    // The load wrote the cache, creating node_modules/ in the watched project folder: that is no reason to restart.
    expect(readdirSync(join(dir, 'node_modules', '.cache', 'atrium')).some((name) => name.startsWith('installed-apps-'))).toBe(true);
    await new Promise((resolveWait) => setTimeout(resolveWait, 1_000));
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.stdout).not.toMatch(/Change detected/);
    expect(server.stdout.match(new RegExp(BANNER.source, 'g'))).toHaveLength(1);
    expect(existsSync(join(dir, 'node_modules'))).toBe(true);
  });
});
