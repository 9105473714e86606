import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrderWorkspace, RECORD_SETTINGS_RUN } from './support/load-order-project.js';
import { cleanEnv, freePort, makeProject, ManageProcess, SERVE_BANNER, strongSecretKey } from './support/serve-process.js';
import { startLoad } from './support/load-loop.js';

// `manage serve` as a user runs it: real processes on loopback, every load
// bounded in count, every wait bounded in time.

const SETTINGS = `
export default {
  DEBUG: false,
  ALLOWED_HOSTS: ['127.0.0.1', 'localhost'],
  INSTALLED_APPS: ['@atrium/orm'],
  DATABASES: { default: { ENGINE: 'sqlite', NAME: 'db.sqlite3' } },
  STATIC_ROOT: 'out',
  TEMPLATES: { DIRS: [] },
  MIDDLEWARE: [
    () => async (request, next) => {
      const response = await next(request);
      response.headers.set('x-worker-pid', String(process.pid));
      return response;
    },
  ],
};
`;

const URLS = `
import cluster from 'node:cluster';
import { path, json } from '@atrium/core';

// BOOT_FAIL breaks only the workers, not the primary's loading of the project.
if (cluster.isWorker && process.env.BOOT_FAIL === '1') throw new Error('this worker cannot boot');

const held = [];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const number = (request, name, fallback) => Number(request.query.get(name) ?? fallback);

export default [
  path('', () => json({ pid: process.pid })),
  path('slow/', async (request) => {
    await sleep(number(request, 'ms', 200));
    return json({ pid: process.pid });
  }),
  path('hang/', (request) => {
    const end = Date.now() + number(request, 'ms', 5000);
    while (Date.now() < end) {}
    return json({ pid: process.pid });
  }),
  path('grow/', (request) => {
    held.push(Buffer.alloc(number(request, 'mb', 100) * 1024 * 1024, 1));
    return json({ rss: process.memoryUsage.rss() });
  }),
];
`;

const project = makeProject('atrium-serve-', { 'settings.ts': SETTINGS, 'urls.ts': URLS });
const env = (extra: Record<string, string> = {}) => cleanEnv({ ATRIUM_SECRET_KEY: strongSecretKey(), ...extra });

afterAll(() => {
  ManageProcess.killAll();
  project.remove();
});

/** GET on a new connection each time, so node:cluster deals it to the next worker. */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; pid: string | null; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers, timeout: 20_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, pid: (res.headers['x-worker-pid'] as string | undefined) ?? null, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Poll `url` until a worker whose pid satisfies `wanted` answers (bounded). */
async function waitForWorker(url: string, wanted: (pid: string) => boolean, timeoutMs = 240_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { pid } = await get(url).catch(() => ({ pid: null }));
    if (pid !== null && wanted(pid)) return pid;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no wanted worker answered ${url} within ${timeoutMs} ms`);
}

describe('manage serve with two workers', { timeout: 900_000 }, () => {
  let server: ManageProcess;
  let base: string;
  let pids: string[];

  it('starts the workers, answers /healthz and /readyz, and shares the port between them', async () => {
    const port = await freePort();
    server = new ManageProcess(
      project.dir,
      ['serve', '--workers', '2', '--bind', `127.0.0.1:${port}`, '--timeout', '1', '--worker-timeout', '15', '--max-memory', '200', '--graceful-timeout', '10', '--access-log'],
      env(),
    );
    const banner = await server.waitFor(SERVE_BANNER);
    expect(banner[1]).toBe('2');
    pids = banner[2]!.split(', ');
    base = `${banner[3]}`;
    expect(base).toBe(`http://127.0.0.1:${port}`);
    expect(Number(banner[4])).toBe(server.pid);

    expect(await get(`${base}/healthz`)).toMatchObject({ status: 200, body: '{"status":"ok"}' });
    expect(await get(`${base}/readyz`)).toMatchObject({ status: 200, body: '{"status":"ok"}' });
    const seen = new Set<string>();
    for (let i = 0; i < 20 && seen.size < 2; i++) seen.add((await get(`${base}/`)).pid!);
    expect([...seen].sort()).toEqual([...pids].sort());
  });

  it('writes a Combined Log Format access log line per request to stdout', async () => {
    await get(`${base}/?from=log`, { 'user-agent': 'serve-test/1', referer: 'http://127.0.0.1/x' });
    const line = await server.waitFor(/^127\.0\.0\.1 - - \[[^\]]+\] "GET \/\?from=log HTTP\/1\.1" 200 \d+ "http:\/\/127\.0\.0\.1\/x" "serve-test\/1"$/m);
    expect(line[0]).toMatch(/\[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\]/);
  });

  it('answers 503 and logs when a request has no response within --timeout', async () => {
    const started = Date.now();
    const slow = await get(`${base}/slow/?ms=4000`);
    expect(slow.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(3_900);
    await server.waitFor(/GET "\/slow\/\?ms=4000" got no response within 1000 ms; answered 503/);
    expect((await get(`${base}/`)).status).toBe(200);
  });

  it('replaces a worker that was killed', async () => {
    const victim = pids[0]!;
    process.kill(Number(victim), 'SIGKILL');
    await server.waitFor(new RegExp(`Worker ${victim} was killed by SIGKILL unexpectedly; starting a replacement`));
    const fresh = await waitForWorker(`${base}/`, (pid) => !pids.includes(pid));
    pids = [pids[1]!, fresh];
  });

  it('kills and replaces a worker whose event loop hangs past --worker-timeout', async () => {
    // The hung request itself is lost with its worker; that is the point of the watchdog.
    const hung = get(`${base}/hang/?ms=60000`).catch(() => null);
    const line = await server.waitFor(/Worker (\d+) sent no heartbeat for \d+ s \(--worker-timeout\); killing it/);
    await server.waitFor(new RegExp(`Worker ${line[1]} was killed by SIGKILL unexpectedly; starting a replacement`));
    await hung;
    const fresh = await waitForWorker(`${base}/`, (pid) => !pids.includes(pid));
    pids = [...pids.filter((pid) => pid !== line[1]), fresh];
  });

  it('recycles a worker over --max-memory: a replacement starts, then the old one drains', async () => {
    const grown = await get(`${base}/grow/?mb=160`);
    expect(grown.status).toBe(200);
    expect(JSON.parse(grown.body).rss).toBeGreaterThan(200 * 1024 * 1024);
    await server.waitFor(new RegExp(`Worker ${grown.pid} uses \\d+ MiB of memory, over --max-memory 200; starting its replacement`));
    await server.waitFor(new RegExp(`Worker ${grown.pid} drained and exited with code 0`));
    const fresh = await waitForWorker(`${base}/`, (pid) => !pids.includes(pid));
    pids = [...pids.filter((pid) => pid !== grown.pid), fresh];
  });

  it('reloads on SIGHUP under load with zero failed requests', async () => {
    const load = startLoad({ url: `${base}/`, concurrency: 4, maxRequests: 50_000, header: 'x-worker-pid', pauseMs: 5 });
    await new Promise((r) => setTimeout(r, 500));
    const reloads = (server.stderr.match(/Reload complete/g) ?? []).length;
    process.kill(server.pid, 'SIGHUP');
    await server.waitFor(/Reload complete: 2 new worker\(s\) ready; draining 2 old one\(s\)/, reloads + 1);
    for (const pid of pids) await server.waitFor(new RegExp(`Worker ${pid} drained and exited with code 0`));
    await new Promise((r) => setTimeout(r, 300));
    const result = await load.stop();
    expect(result.errors).toEqual({});
    expect(result.statuses).toEqual({});
    expect(result.ok).toBeGreaterThan(50);
    const servers = Object.keys(result.servedBy);
    expect(servers.some((pid) => pids.includes(pid))).toBe(true);
    expect(servers.some((pid) => !pids.includes(pid))).toBe(true);
  });

  it('shuts down on SIGTERM under load: every in-flight request completes, then exit 0', async () => {
    const load = startLoad({ url: `${base}/slow/?ms=300`, concurrency: 8, maxRequests: 50_000 });
    await new Promise((r) => setTimeout(r, 700));
    // Requests in flight now must all complete; no new ones start after the signal.
    const stopped = load.stop();
    process.kill(server.pid, 'SIGTERM');
    const result = await stopped;
    expect(result.errors).toEqual({});
    expect(result.statuses).toEqual({});
    expect(result.ok).toBeGreaterThan(8);
    expect(await server.exited).toBe(0);
    expect(server.stderr).toContain('Received SIGTERM; finishing in-flight requests');
  });
});

describe('manage serve recycling and readiness', { timeout: 900_000 }, () => {
  it('recycles after --max-requests (with jitter) without failing a request, and /readyz is 503 while the database is down', async () => {
    const port = await freePort();
    const closedPort = await freePort();
    const server = new ManageProcess(
      project.dir,
      ['serve', '--workers', '1', '--bind', `127.0.0.1:${port}`, '--max-requests', '20', '--max-requests-jitter', '5'],
      env({
        ATRIUM_DATABASES: JSON.stringify({ default: { ENGINE: 'postgres', NAME: 'test', USER: 'postgres', HOST: '127.0.0.1', PORT: closedPort } }),
      }),
    );
    const banner = await server.waitFor(SERVE_BANNER);
    const base = banner[3]!;
    const ready = await get(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({ status: 'unavailable', failing: ['orm.database'] });
    await server.waitFor(/Readiness check orm\.database failed: /);
    expect((await get(`${base}/healthz`)).status).toBe(200);

    const load = startLoad({ url: `${base}/`, concurrency: 2, maxRequests: 20_000, header: 'x-worker-pid' });
    await server.waitFor(/served (2[0-5]) requests \(--max-requests\); starting its replacement/);
    await server.waitFor(/drained and exited with code 0/);
    const sent = load.sent();
    while (load.sent() < sent + 10) await new Promise((r) => setTimeout(r, 20));
    const result = await load.stop();
    expect(result.errors).toEqual({});
    expect(result.statuses).toEqual({});
    expect(Object.keys(result.servedBy).length).toBeGreaterThanOrEqual(2);
    process.kill(server.pid, 'SIGTERM');
    expect(await server.exited).toBe(0);
  });
});

describe('manage serve refuses unsafe settings and broken workers', { timeout: 900_000 }, () => {
  it('refuses DEBUG unless --insecure-debug', async () => {
    const server = new ManageProcess(project.dir, ['serve', '--workers', '1'], env({ ATRIUM_DEBUG: 'true' }));
    expect(await server.exited).toBe(1);
    expect(server.stderr).toContain('Error: DEBUG is on, and `manage serve` is the production server');
    expect(server.stderr).toContain('--insecure-debug');
  });

  it('refuses a placeholder SECRET_KEY', async () => {
    const server = new ManageProcess(project.dir, ['serve', '--workers', '1'], env({ ATRIUM_SECRET_KEY: 'change-me-change-me-change-me-change-me-0123' }));
    expect(await server.exited).toBe(1);
    expect(server.stderr).toContain("Error: SECRET_KEY contains the word 'change-me'");
  });

  it('refuses bad option values with the option named', async () => {
    const server = new ManageProcess(project.dir, ['serve', '--workers', 'two'], env());
    expect(await server.exited).toBe(1);
    expect(server.stderr).toContain("--workers must be a whole number of at least 1, got 'two'");
  });

  it('stops, instead of restarting in a loop, when a worker fails to boot', async () => {
    const port = await freePort();
    const server = new ManageProcess(project.dir, ['serve', '--workers', '2', '--bind', `127.0.0.1:${port}`], env({ BOOT_FAIL: '1' }));
    expect(await server.exited).toBe(1);
    expect(server.stderr).toContain('this worker cannot boot');
    expect(server.stderr).toMatch(/Worker \d+ exited with code 1 before it was ready \(see its error above\); stopping instead of restarting it in a loop/);
  });
});

describe('manage serve workers with a stale INSTALLED_APPS cache (issue #10)', { timeout: 900_000 }, () => {
  // Packages come from a parent folder, as in a monorepo checkout; the package app and settings.ts record the order
  // they ran in. 'package app' first means the worker imported it before registering the TypeScript loader, so the
  // framework did not go through the loader's hooks (with them each idle starter worker was about 30 MB larger).
  const workspace = loadOrderWorkspace('atrium-serve-stale-');
  afterAll(() => workspace.remove());
  const orderSettings = (comment: string) =>
    `// ${comment}\n${RECORD_SETTINGS_RUN}export default { DEBUG: false, ALLOWED_HOSTS: ['127.0.0.1'], INSTALLED_APPS: ['order-app'], TEMPLATES: { DIRS: [] } };\n`;
  const site = (name: string): string =>
    workspace.site(name, {
      'settings.ts': orderSettings('first version'),
      'urls.ts': [
        "import cluster from 'node:cluster';",
        "import { path, json } from '@atrium/core';",
        '',
        'const order = (globalThis as { loadOrder?: string[] }).loadOrder;',
        // The primary loads the project once too (to check it) and keeps what it loaded while it supervises.
        "if (cluster.isPrimary) console.log(`primary load order: ${order?.join(', ')}`);",
        "export default [path('order/', () => json({ pid: String(process.pid), order }))];",
        '',
      ].join('\n'),
    });
  /** The load order each worker reports, asked on new connections until `count` different workers answered. */
  async function loadOrders(base: string, count: number): Promise<Map<string, string[]>> {
    const orders = new Map<string, string[]>();
    for (let i = 0; i < 50 && orders.size < count; i++) {
      const { pid, order } = JSON.parse((await get(`${base}/order/`)).body) as { pid: string; order: string[] };
      orders.set(pid, order);
    }
    expect(orders.size).toBe(count);
    return orders;
  }

  it('on a first start the primary, and after settings.ts changed the workers SIGHUP starts, load the package apps before the TypeScript loader', async () => {
    const dir = site('site');
    const port = await freePort();
    const server = new ManageProcess(dir, ['serve', '--workers', '2', '--bind', `127.0.0.1:${port}`], env());
    const banner = await server.waitFor(SERVE_BANNER);
    // No cache yet (a new project): the primary read INSTALLED_APPS in a short-lived process before its own load.
    expect(server.stdout).toContain('primary load order: package app, settings.ts');
    const base = banner[3]!;
    const first = banner[2]!.split(', ');
    // The primary's load wrote the cache, so the first workers found it current.
    const before = await loadOrders(base, 2);
    expect([...before.keys()].sort()).toEqual([...first].sort());
    for (const order of before.values()) expect(order).toEqual(['package app', 'settings.ts']);

    // A deploy: settings.ts changes (so the cache is stale), then SIGHUP; the primary does not load the project again.
    writeFileSync(join(dir, 'settings.ts'), orderSettings('second version, deployed'));
    process.kill(server.pid, 'SIGHUP');
    await server.waitFor(/Reload complete: 2 new worker\(s\) ready/);
    for (const pid of first) await server.waitFor(new RegExp(`Worker ${pid} drained and exited with code 0`));
    const after = await loadOrders(base, 2);
    expect([...after.keys()].filter((pid) => first.includes(pid))).toEqual([]);
    for (const order of after.values()) expect(order).toEqual(['package app', 'settings.ts']);
    process.kill(server.pid, 'SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('the primary and the workers load the package apps before the TypeScript loader even when no cache can be written', async () => {
    const dir = site('no-cache-site');
    // A file where the cache's node_modules/ would go: as with a read-only install, nothing is ever cached.
    writeFileSync(join(dir, 'node_modules'), '');
    const port = await freePort();
    const server = new ManageProcess(dir, ['serve', '--workers', '2', '--bind', `127.0.0.1:${port}`], env());
    const banner = await server.waitFor(SERVE_BANNER);
    expect(server.stdout).toContain('primary load order: package app, settings.ts');
    const orders = await loadOrders(banner[3]!, 2);
    expect([...orders.keys()].sort()).toEqual(banner[2]!.split(', ').sort());
    for (const order of orders.values()) expect(order).toEqual(['package app', 'settings.ts']);
    process.kill(server.pid, 'SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
