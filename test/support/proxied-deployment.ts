/**
 * Two `manage serve --workers 1` instances of one project behind a real
 * reverse proxy (nginx, HAProxy) on loopback, for the end-to-end tests of
 * docs/deployment.md: the project, its users and TLS certificate, HTTPS
 * requests through the proxy, and the two scenarios every proxy must pass
 * (a login holds on both instances; stopping one under load loses no request).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoad } from './load-loop.js';
import { cleanEnv, freePort, makeProject, manageBin, ManageProcess, repo, strongSecretKey } from './serve-process.js';

const PASSWORD = 'proxy-e2e-Passw0rd!';
const BANNER = /manage serve: 1 worker\(s\) \(pids [\d, ]+\) at (\S+) — primary pid \d+/;

/** Where the instances keep sessions: the shared SQLite database, or the shared Redis server. */
export type SessionBackend = 'sqlite' | 'redis';

const REDIS_URL = process.env['ATRIUM_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

function settingsModule(sessions: SessionBackend, redisPrefix: string): string {
  const sessionSettings =
    sessions === 'redis'
      ? `SESSION_ENGINE: 'redis', SESSION_REDIS_URL: ${JSON.stringify(REDIS_URL)}, SESSION_REDIS_KEY_PREFIX: ${JSON.stringify(redisPrefix)},`
      : `SESSION_ENGINE: 'db',`;
  return `
export default {
  DEBUG: false,
  ALLOWED_HOSTS: ['127.0.0.1', 'localhost'],
  INSTALLED_APPS: ['@atrium/orm', '@atrium/forms', '@atrium/auth'],
  MIDDLEWARE: [
    'security', 'sessions', 'common', 'csrf', 'auth',
    () => async (request, next) => {
      const response = await next(request);
      response.headers.set('x-app-instance', process.env.APP_INSTANCE ?? '-');
      return response;
    },
  ],
  DATABASES: { default: { ENGINE: 'sqlite', NAME: 'db.sqlite3' } },
  ${sessionSettings}
  TRUSTED_PROXIES: ['127.0.0.1'],
  SECURE_PROXY_SSL_HEADER: ['X-Forwarded-Proto', 'https'],
  USE_X_FORWARDED_HOST: true,
  STATIC_ROOT: 'staticfiles',
  TEMPLATES: { DIRS: [] },
};
`;
}

const URLS = `
import { include, json, path } from '@atrium/core';
import { authRoutes, getUser } from '@atrium/auth';

export default [
  include('accounts/', authRoutes, { namespace: 'auth' }),
  path('whoami/', async (request) => {
    const user = await getUser(request);
    return json({
      instance: process.env.APP_INSTANCE ?? null,
      authenticated: user.isAuthenticated,
      username: user.isAuthenticated ? user.username : null,
      secure: request.isSecure,
    });
  }),
];
`;

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request to the proxy on 127.0.0.1:`port` (self-signed certificate), on a new connection. */
export function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers, agent: false, rejectUnauthorized: false, timeout: 30_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** name=value pairs of the Set-Cookie headers of `reply`. */
export function cookies(reply: Reply): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const line of (reply.headers['set-cookie'] as string[] | undefined) ?? []) {
    const [pair] = line.split(';');
    const at = pair!.indexOf('=');
    jar[pair!.slice(0, at)] = pair!.slice(at + 1);
  }
  return jar;
}

/**
 * The fenced `language` block of docs/deployment.md with each `[from, to]`
 * replaced; throws when a `from` is missing or still present afterwards, so
 * the test notices when the doc's config changes under it.
 */
export function deploymentDocBlock(language: string, substitutions: Array<[string, string]>): string {
  const doc = readFileSync(join(repo, 'docs/deployment.md'), 'utf8');
  let block = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(doc)?.[1];
  if (block === undefined) throw new Error(`docs/deployment.md has no \`\`\`${language} block`);
  for (const [from, to] of substitutions) {
    if (!block.includes(from)) throw new Error(`the doc's ${language} block changed: '${from}' is not in it any more`);
    block = block.split(from).join(to);
  }
  for (const [from] of substitutions) {
    if (block.includes(from)) throw new Error(`the doc's ${language} block changed: '${from}' was not fully substituted`);
  }
  return block;
}

/** The project, its two running instances and the proxy's port; `remove()` after stopping the proxy. */
export interface ProxiedDeployment {
  projectDir: string;
  /** A scratch folder for the proxy's config, logs and TLS files. */
  work: string;
  /** A self-signed certificate and key for 127.0.0.1 (PEM files in `work`). */
  tls: { cert: string; key: string };
  /** The instances' ports, 'a' first. */
  upstreams: [number, number];
  proxyPort: number;
  instances: Record<'a' | 'b', ManageProcess>;
  /** The Redis keys this deployment's sessions live under (empty for SQLite sessions). */
  redisSessionKeys(): string[];
  remove(): Promise<void>;
}

/**
 * Make a migrated project with one user, a TLS certificate, and start the two
 * instances (named 'a' and 'b' in the x-app-instance header) on free ports.
 * The proxy is the caller's: it should listen on `proxyPort`.
 */
export async function startDeployment(prefix: string, sessions: SessionBackend): Promise<ProxiedDeployment> {
  const redisPrefix = `atrium-e2e-${process.pid}-${Date.now()}:`;
  const project = makeProject(prefix, { 'settings.ts': settingsModule(sessions, redisPrefix), 'urls.ts': URLS });
  const work = join(project.dir, 'proxy');
  mkdirSync(work);
  mkdirSync(join(project.dir, 'staticfiles'));
  const tls = { cert: join(work, 'cert.pem'), key: join(work, 'key.pem') };
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-keyout', tls.key, '-out', tls.cert], { stdio: 'ignore', timeout: 60_000 });
  const secretKey = strongSecretKey();
  const env = cleanEnv({ ATRIUM_SECRET_KEY: secretKey });
  const manage = (args: string[], extra: Record<string, string> = {}) =>
    execFileSync(process.execPath, [manageBin, ...args], { cwd: project.dir, env: { ...env, ...extra }, encoding: 'utf8', timeout: 120_000 });
  manage(['migrate']);
  manage(['createsuperuser', '--no-input', '--username', 'ann', '--email', 'ann@example.com'], { ATRIUM_SUPERUSER_PASSWORD: PASSWORD });

  const upstreams: [number, number] = [await freePort(), await freePort()];
  const proxyPort = await freePort();
  const instances = {} as Record<'a' | 'b', ManageProcess>;
  for (const [index, name] of (['a', 'b'] as const).entries()) {
    instances[name] = new ManageProcess(project.dir, ['serve', '--workers', '1', '--bind', `127.0.0.1:${upstreams[index]}`, '--graceful-timeout', '10'], {
      ...env,
      APP_INSTANCE: name,
      ATRIUM_CSRF_TRUSTED_ORIGINS: JSON.stringify([`https://127.0.0.1:${proxyPort}`]),
    });
  }
  await Promise.all(Object.values(instances).map((instance) => instance.waitFor(BANNER, 1, 120_000)));
  return {
    projectDir: project.dir,
    work,
    tls,
    upstreams,
    proxyPort,
    instances,
    redisSessionKeys: () => (sessions === 'redis' ? redisKeys(redisPrefix) : []),
    remove: async () => {
      for (const instance of Object.values(instances)) instance.child.kill('SIGKILL');
      await Promise.all(Object.values(instances).map((instance) => instance.exited));
      // Delete the sessions this run left in the shared Redis (only keys under its own prefix).
      const keys = sessions === 'redis' ? redisKeys(redisPrefix) : [];
      if (keys.length > 0) execFileSync('redis-cli', [...redisCli(), 'del', ...keys], { stdio: 'ignore', timeout: 10_000 });
      project.remove();
    },
  };
}

function redisCli(): string[] {
  const url = new URL(REDIS_URL);
  return ['-h', url.hostname, '-p', url.port || '6379'];
}

function redisKeys(prefix: string): string[] {
  return execFileSync('redis-cli', [...redisCli(), '--scan', '--pattern', `${prefix}*`], { encoding: 'utf8', timeout: 10_000 }).split('\n').filter(Boolean);
}

/**
 * Run a proxy in the foreground in its own process group, and resolve once
 * it answers `GET /whoami/` over HTTPS; `log()` explains a failure to start.
 */
export async function startProxy(command: string, args: string[], port: number, log: () => string, timeoutMs = 30_000): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    const ok = await send(port, 'GET', '/whoami/').then((reply) => reply.status === 200, () => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopProxy(child);
  throw new Error(`${command} did not answer on port ${port} within ${timeoutMs} ms (exit code ${child.exitCode}); stderr:\n${stderr}\n${log()}`);
}

/** SIGTERM, then SIGKILL, the proxy's whole process group (its workers go too). */
export async function stopProxy(child: ChildProcess | null): Promise<void> {
  if (child?.pid === undefined) return;
  const exited = child.exitCode === null && child.signalCode === null ? new Promise((r) => child.once('exit', r)) : Promise.resolve();
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      /* already gone */
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
  }
}

/** Log in as the test user through the proxy (login page, CSRF token, POST) and return the `sessionid=...` cookie. */
export async function logIn(port: number): Promise<string> {
  const page = await send(port, 'GET', '/accounts/login/');
  expect(page.status).toBe(200);
  const csrfCookie = cookies(page)['csrftoken'];
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page.body)?.[1];
  expect(csrfCookie).toBeTruthy();
  expect(token).toBeTruthy();

  const form = new URLSearchParams({ csrfmiddlewaretoken: token!, username: 'ann', password: PASSWORD }).toString();
  const origin = `https://127.0.0.1:${port}`;
  const login = await send(port, 'POST', '/accounts/login/', {
    'content-type': 'application/x-www-form-urlencoded',
    'content-length': String(Buffer.byteLength(form)),
    cookie: `csrftoken=${csrfCookie}`,
    origin,
    referer: `${origin}/accounts/login/`,
  }, form);
  expect(login.status, login.body).toBe(302);
  const session = cookies(login)['sessionid'];
  expect(session).toBeTruthy();
  return `sessionid=${session}`;
}

/**
 * Send `/whoami/` with the session a dozen times and check that both
 * instances answered, each seeing the user logged in over HTTPS (the
 * proxy's X-Forwarded-Proto).
 */
export async function expectSessionOnBothInstances(deployment: ProxiedDeployment, sessionCookie: string): Promise<void> {
  const servedBy: Record<string, number> = {};
  for (let i = 0; i < 12; i++) {
    const reply = await send(deployment.proxyPort, 'GET', '/whoami/', { cookie: sessionCookie });
    expect(reply.status, `${reply.body}\n${deployment.instances.a.stderr}\n${deployment.instances.b.stderr}`).toBe(200);
    const who = JSON.parse(reply.body) as { instance: string; authenticated: boolean; username: string; secure: boolean };
    expect(who).toMatchObject({ authenticated: true, username: 'ann', secure: true });
    expect(reply.headers['x-app-instance']).toBe(who.instance);
    servedBy[who.instance] = (servedBy[who.instance] ?? 0) + 1;
  }
  // Round-robin balancing: both instances answered, both saw the user logged in.
  expect(Object.keys(servedBy).sort()).toEqual(['a', 'b']);
}

/**
 * Stream GETs through the proxy, SIGTERM instance 'a' in the middle, keep
 * streaming after it exited, and check that no request failed: the proxy
 * retried on 'b' what 'a' refused or dropped.
 */
export async function expectNoLostRequestWhileOneStops(deployment: ProxiedDeployment, sessionCookie: string): Promise<void> {
  const load = startLoad({
    url: `https://127.0.0.1:${deployment.proxyPort}/whoami/`,
    concurrency: 4,
    maxRequests: 3_000,
    header: 'x-app-instance',
    headers: { cookie: sessionCookie },
    pauseMs: 5,
    insecureTls: true,
  });
  const started = load.sent();
  while (load.sent() < started + 40) await new Promise((r) => setTimeout(r, 20));
  const stopping = deployment.instances.a;
  process.kill(stopping.pid, 'SIGTERM');
  expect(await stopping.exited).toBe(0);
  // Keep the stream going after the instance is gone: these must all land on 'b'.
  const after = load.sent();
  while (load.sent() < after + 60 && load.sent() < 3_000) await new Promise((r) => setTimeout(r, 20));
  const result = await load.stop();
  expect(result.errors).toEqual({});
  expect(result.statuses).toEqual({});
  expect(result.ok).toBeGreaterThanOrEqual(100);
  expect(result.servedBy['a']).toBeGreaterThan(0);
  expect(result.servedBy['b']).toBeGreaterThan(0);
  expect(stopping.stderr).toContain('Received SIGTERM; finishing in-flight requests');
}

export interface ProxyScenario {
  /** The proxy's name in the test titles ('nginx', 'HAProxy'). */
  proxy: string;
  sessions: SessionBackend;
  /** Also run the SIGTERM-under-load scenario (it does not depend on where sessions live, so once per proxy is enough). */
  stopOne: boolean;
  /** Write the proxy's config for `deployment` and start it with startProxy(). */
  start(deployment: ProxiedDeployment): Promise<ChildProcess>;
}

/** The end-to-end scenarios for one proxy: a deployment, the proxy in front, login on both instances, and optionally an instance stopped under load. */
export function describeBehindProxy(scenario: ProxyScenario): void {
  const { proxy, sessions } = scenario;
  describe(`manage serve behind ${proxy} (docs/deployment.md config), sessions in ${sessions}`, { timeout: 120_000 }, () => {
    let deployment: ProxiedDeployment | undefined;
    let child: ChildProcess | null = null;
    let sessionCookie = '';

    beforeAll(async () => {
      deployment = await startDeployment(`atrium-${proxy.toLowerCase()}-${sessions}-`, sessions);
      child = await scenario.start(deployment);
    }, 240_000);

    afterAll(async () => {
      await stopProxy(child);
      await deployment?.remove();
    });

    it(`logs in through ${proxy}, and the session holds on both instances`, async () => {
      sessionCookie = await logIn(deployment!.proxyPort);
      // With SESSION_ENGINE 'redis' the session must really be a key in the shared Redis.
      if (sessions === 'redis') expect(deployment!.redisSessionKeys()).not.toHaveLength(0);
      await expectSessionOnBothInstances(deployment!, sessionCookie);
    });

    if (scenario.stopOne) {
      it(`loses no request while one instance shuts down gracefully (${proxy} retries it on the other)`, () =>
        expectNoLostRequestWhileOneStops(deployment!, sessionCookie));
    }
  });
}
