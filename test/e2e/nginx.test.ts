/**
 * Debian's real nginx, configured with docs/deployment.md's nginx block (only
 * ports and paths substituted), in front of two `manage serve --workers 1`
 * instances of one project sharing one SQLite file: a login made through nginx
 * holds on both instances, and SIGTERM to one instance under a stream of GETs
 * loses no request, because nginx retries it on the other.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, freePort, makeProject, manageBin, ManageProcess, repo, strongSecretKey } from '../support/serve-process.js';
import { startLoad } from '../support/load-loop.js';

const NGINX = '/usr/sbin/nginx';
const PASSWORD = 'nginx-e2e-Passw0rd!';
const BANNER = /manage serve: 1 worker\(s\) \(pids [\d, ]+\) at (\S+) — primary pid \d+/;

const SETTINGS = `
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
  SESSION_ENGINE: 'db',
  TRUSTED_PROXIES: ['127.0.0.1'],
  SECURE_PROXY_SSL_HEADER: ['X-Forwarded-Proto', 'https'],
  USE_X_FORWARDED_HOST: true,
  STATIC_ROOT: 'staticfiles',
  TEMPLATES: { DIRS: [] },
};
`;

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

const project = makeProject('atrium-nginx-', { 'settings.ts': SETTINGS, 'urls.ts': URLS });
const work = join(project.dir, 'nginx');
let nginx: ChildProcess | null = null;
let nginxPort = 0;
const instances: Record<string, ManageProcess> = {};

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request to nginx (self-signed certificate), on a new connection. */
function send(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: nginxPort, method, path, headers, agent: false, rejectUnauthorized: false, timeout: 30_000 },
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
function cookies(reply: Reply): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const line of (reply.headers['set-cookie'] as string[] | undefined) ?? []) {
    const [pair] = line.split(';');
    const at = pair!.indexOf('=');
    jar[pair!.slice(0, at)] = pair!.slice(at + 1);
  }
  return jar;
}

/** docs/deployment.md's nginx block, with its ports and paths replaced by this test's. */
function nginxConfig(upstreams: [number, number]): string {
  const doc = readFileSync(join(repo, 'docs/deployment.md'), 'utf8');
  const block = /```nginx\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/deployment.md has no ```nginx block');
  const substituted = block
    .replace('127.0.0.1:8000', `127.0.0.1:${upstreams[0]}`)
    .replace('127.0.0.1:8001', `127.0.0.1:${upstreams[1]}`)
    .replace('listen 443 ssl;', `listen 127.0.0.1:${nginxPort} ssl;`)
    .replace('/etc/ssl/certs/www.example.com.pem', join(work, 'cert.pem'))
    .replace('/etc/ssl/private/www.example.com.key', join(work, 'key.pem'))
    .replace('/srv/app/staticfiles/', `${join(project.dir, 'staticfiles')}/`);
  for (const original of ['8000', '8001', '443', '/etc/ssl', '/srv/app']) {
    if (substituted.includes(original)) throw new Error(`the doc's nginx block changed: '${original}' was not substituted`);
  }
  const temp = (name: string) => `${name}_temp_path ${join(work, `${name}_temp`)};`;
  return [
    process.getuid?.() === 0 ? 'user root;' : '',
    'worker_processes 1;',
    'events { worker_connections 256; }',
    'http {',
    `  access_log ${join(work, 'access.log')};`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((name) => `  ${temp(name)}`),
    substituted,
    '}',
    '',
  ].join('\n');
}

function manage(args: string[], env: Record<string, string>): string {
  return execFileSync(process.execPath, [manageBin, ...args], { cwd: project.dir, env, encoding: 'utf8', timeout: 120_000 });
}

const secretKey = strongSecretKey();
const serveEnv = (instance: string) => cleanEnv({ ATRIUM_SECRET_KEY: secretKey, APP_INSTANCE: instance });

async function waitForNginx(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (nginx?.exitCode !== null) break;
    const ok = await send('GET', '/whoami/').then((reply) => reply.status === 200, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  const log = existsSync(join(work, 'error.log')) ? readFileSync(join(work, 'error.log'), 'utf8') : '';
  throw new Error(`nginx did not answer within ${timeoutMs} ms; error.log:\n${log}`);
}

beforeAll(async () => {
  mkdirSync(work);
  mkdirSync(join(project.dir, 'staticfiles'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-keyout', join(work, 'key.pem'), '-out', join(work, 'cert.pem')], { stdio: 'ignore', timeout: 60_000 });
  const env = cleanEnv({ ATRIUM_SECRET_KEY: secretKey });
  manage(['migrate'], env);
  manage(['createsuperuser', '--no-input', '--username', 'ann', '--email', 'ann@example.com'], { ...env, ATRIUM_SUPERUSER_PASSWORD: PASSWORD });

  const ports: [number, number] = [await freePort(), await freePort()];
  nginxPort = await freePort();
  for (const [index, name] of ['a', 'b'].entries()) {
    instances[name] = new ManageProcess(project.dir, ['serve', '--workers', '1', '--bind', `127.0.0.1:${ports[index]}`, '--graceful-timeout', '10'], {
      ...serveEnv(name),
      ATRIUM_CSRF_TRUSTED_ORIGINS: JSON.stringify([`https://127.0.0.1:${nginxPort}`]),
    });
  }
  await Promise.all(Object.values(instances).map((instance) => instance.waitFor(BANNER, 1, 120_000)));

  const conf = join(work, 'nginx.conf');
  writeFileSync(conf, nginxConfig(ports));
  nginx = spawn(NGINX, ['-p', work, '-c', conf, '-g', `daemon off; pid ${join(work, 'nginx.pid')}; error_log ${join(work, 'error.log')};`], {
    stdio: ['ignore', 'ignore', 'ignore'],
    detached: true,
  });
  await waitForNginx(30_000);
}, 240_000);

afterAll(async () => {
  // nginx runs in its own process group (detached): SIGTERM, then SIGKILL the group, so its worker goes too.
  if (nginx?.pid !== undefined) {
    const exited = nginx.exitCode === null ? new Promise((r) => nginx!.once('exit', r)) : Promise.resolve();
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      try {
        process.kill(-nginx.pid, signal);
      } catch {
        /* already gone */
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3_000))]);
    }
  }
  ManageProcess.killAll();
  rmSync(work, { recursive: true, force: true });
  project.remove();
});

describe('manage serve behind nginx (docs/deployment.md config)', { timeout: 120_000 }, () => {
  let sessionCookie = '';

  it('logs in through nginx, and the session holds on both instances', async () => {
    const page = await send('GET', '/accounts/login/');
    expect(page.status).toBe(200);
    const csrfCookie = cookies(page)['csrftoken'];
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page.body)?.[1];
    expect(csrfCookie).toBeTruthy();
    expect(token).toBeTruthy();

    const form = new URLSearchParams({ csrfmiddlewaretoken: token!, username: 'ann', password: PASSWORD }).toString();
    const origin = `https://127.0.0.1:${nginxPort}`;
    const login = await send('POST', '/accounts/login/', {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(form)),
      cookie: `csrftoken=${csrfCookie}`,
      origin,
      referer: `${origin}/accounts/login/`,
    }, form);
    expect(login.status, login.body).toBe(302);
    const session = cookies(login)['sessionid'];
    expect(session).toBeTruthy();
    sessionCookie = `sessionid=${session}`;

    const servedBy: Record<string, number> = {};
    for (let i = 0; i < 12; i++) {
      const reply = await send('GET', '/whoami/', { cookie: sessionCookie });
      expect(reply.status, `${reply.body}\n${instances['a']!.stderr}\n${instances['b']!.stderr}`).toBe(200);
      const who = JSON.parse(reply.body) as { instance: string; authenticated: boolean; username: string; secure: boolean };
      expect(who).toMatchObject({ authenticated: true, username: 'ann', secure: true });
      expect(reply.headers['x-app-instance']).toBe(who.instance);
      servedBy[who.instance] = (servedBy[who.instance] ?? 0) + 1;
    }
    // Round-robin upstream: both instances answered, both saw the user logged in.
    expect(Object.keys(servedBy).sort()).toEqual(['a', 'b']);
  });

  it('loses no request while one instance shuts down gracefully (nginx retries it on the other)', async () => {
    const load = startLoad({
      url: `https://127.0.0.1:${nginxPort}/whoami/`,
      concurrency: 4,
      maxRequests: 3_000,
      header: 'x-app-instance',
      headers: { cookie: sessionCookie },
      pauseMs: 5,
      insecureTls: true,
    });
    const started = load.sent();
    while (load.sent() < started + 40) await new Promise((r) => setTimeout(r, 20));
    const stopping = instances['a']!;
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
  });
});
