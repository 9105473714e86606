import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { path, text, View, type Application, type HttpRequest, type MiddlewareFactory } from '@atrium/core';
import { TestClient } from '@atrium/core/testing';
import { csrfExempt, isCsrfExempt, isSafeRedirect, loginRequired, permissionRequired, safeNextUrl, staffRequired, type AuthUser } from '../src/index.js';
import { authApplication } from './fixtures.js';

/** A user from the X-Test-User header: guards accept any AuthUser another middleware puts on request.state. */
function testUser(kind: string | undefined): AuthUser | undefined {
  if (!kind) return undefined;
  const perms = new Set(kind === 'editor' ? ['blog.change_post'] : []);
  const hasPerm = async (perm: string, obj?: unknown) => perms.has(perm) && (obj === undefined || (obj as { owner: string }).owner === kind);
  return {
    isAuthenticated: true,
    isAnonymous: false,
    isActive: kind !== 'inactive-staff',
    isStaff: kind === 'staff' || kind === 'inactive-staff',
    isSuperuser: false,
    pk: kind,
    hasPerm,
    hasPerms: async (list) => {
      for (const perm of list) if (!(await hasPerm(perm))) return false;
      return true;
    },
    hasModulePerms: (app) => [...perms].some((perm) => perm.startsWith(`${app}.`)),
    getAllPermissions: () => perms,
    getUsername: () => kind,
  };
}
const fakeAuth: MiddlewareFactory = () => async (request, next) => {
  const user = testUser(request.header('x-test-user'));
  if (user) request.state.user = user;
  return next(request);
};

class Dashboard extends View {
  get(request: HttpRequest) {
    return text(`dashboard for ${request.state.user?.isStaff ? 'staff' : 'user'}`);
  }
}

const account = loginRequired((_request: HttpRequest) => text('account'));
const routes = [
  path('account/', account),
  path('dashboard/', staffRequired(Dashboard.asView())),
  path('posts/<int:id>/edit/', permissionRequired('blog.change_post', (_request, { id }: { id: number }) => text(`editing ${id}`))),
  path(
    'posts/<int:id>/own/',
    permissionRequired('blog.change_post', () => text('own'), { object: (_request, params) => ({ owner: params['id'] === 1 ? 'editor' : 'someone' }) }),
  ),
  path('custom/', loginRequired(() => text('custom'), { loginUrl: 'https://sso.example.com/login', redirectFieldName: 'return_to' })),
  path('named/', loginRequired(() => text('named'), { loginUrl: 'login' })),
  path('accounts/login/', (request) => text(`login page, next=${safeNextUrl(request, '/home/')}`), { name: 'login' }),
];

let app: Application;
beforeAll(async () => {
  app = await authApplication(routes, { MIDDLEWARE: [fakeAuth, 'sessions', 'csrf', 'messages'] });
});
afterAll(() => app.close());

describe('loginRequired', () => {
  it('redirects anonymous users to LOGIN_URL with next=', async () => {
    const res = await new TestClient(app).get('/account/?tab=security&x=1');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/accounts/login/?next=%2Faccount%2F%3Ftab%3Dsecurity%26x%3D1');
  });

  it('lets authenticated users through', async () => {
    expect(await (await new TestClient(app).get('/account/', { headers: { 'x-test-user': 'plain' } })).text()).toBe('account');
  });

  it('sends an absolute next to a login page on another site, and reverses route names', async () => {
    const res = await new TestClient(app).get('/custom/');
    expect(res.headers.get('location')).toBe('https://sso.example.com/login?return_to=http%3A%2F%2Ftestserver%2Fcustom%2F');
    expect((await new TestClient(app).get('/named/')).headers.get('location')).toBe('/accounts/login/?next=%2Fnamed%2F');
  });

  it('keeps the view name and class-view metadata', () => {
    const wrapped = staffRequired(Dashboard.asView());
    expect(wrapped.name).toBe('Dashboard');
    expect(wrapped.viewClass).toBe(Dashboard);
    expect(isCsrfExempt(loginRequired(csrfExempt(() => text('x'))))).toBe(true);
  });
});

describe('permissionRequired and staffRequired', () => {
  it('redirects anonymous users, 403s users without the permission, admits those with it', async () => {
    const client = new TestClient(app);
    expect((await client.get('/posts/3/edit/')).headers.get('location')).toBe('/accounts/login/?next=%2Fposts%2F3%2Fedit%2F');
    expect((await client.get('/posts/3/edit/', { headers: { 'x-test-user': 'plain' } })).status).toBe(403);
    expect(await (await client.get('/posts/3/edit/', { headers: { 'x-test-user': 'editor' } })).text()).toBe('editing 3');
  });

  it('passes the object for object-level permissions', async () => {
    const client = new TestClient(app);
    expect((await client.get('/posts/1/own/', { headers: { 'x-test-user': 'editor' } })).status).toBe(200);
    expect((await client.get('/posts/2/own/', { headers: { 'x-test-user': 'editor' } })).status).toBe(403);
  });

  it('admits only active staff to class views', async () => {
    const client = new TestClient(app);
    expect((await client.get('/dashboard/')).status).toBe(302);
    expect((await client.get('/dashboard/', { headers: { 'x-test-user': 'plain' } })).status).toBe(403);
    expect((await client.get('/dashboard/', { headers: { 'x-test-user': 'inactive-staff' } })).status).toBe(403);
    expect(await (await client.get('/dashboard/', { headers: { 'x-test-user': 'staff' } })).text()).toBe('dashboard for staff');
  });
});

describe('open redirects', () => {
  const hosts = { allowedHosts: ['testserver', 'www.example.com:8443'] };

  it.each([
    'https://evil.example',
    'http://evil.example/path',
    '//evil.example',
    '///evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '\\/evil.example',
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'http:evil.example',
    'https:///evil.example',
    'http://testserver@evil.example/',
    '/\t/evil.example',
    '/\n/evil.example',
    '\x01javascript:alert(1)',
    'ftp://testserver/file',
    '',
    '   ',
  ])('refuses %j', (url) => {
    expect(isSafeRedirect(url, hosts)).toBe(false);
  });

  it.each(['/account/', '/account/?tab=1#top', 'account/', '?page=2', 'http://testserver/x', 'https://TestServer/x', 'https://www.example.com:8443/', '/a//b'])(
    'allows %j',
    (url) => {
      expect(isSafeRedirect(url, hosts)).toBe(true);
    },
  );

  it('refuses null, and http or scheme-relative targets when HTTPS is required', () => {
    expect(isSafeRedirect(null, hosts)).toBe(false);
    expect(isSafeRedirect(undefined, hosts)).toBe(false);
    expect(isSafeRedirect('http://testserver/x', { ...hosts, requireHttps: true })).toBe(false);
    expect(isSafeRedirect('//testserver/x', { ...hosts, requireHttps: true })).toBe(false);
    expect(isSafeRedirect('https://testserver/x', { ...hosts, requireHttps: true })).toBe(true);
    expect(isSafeRedirect('/x', { ...hosts, requireHttps: true })).toBe(true);
  });

  it('safeNextUrl falls back for unsafe ?next= values', async () => {
    const client = new TestClient(app);
    for (const next of ['https://evil.example', '//evil.example', '/\\evil.example', 'javascript:alert(1)']) {
      expect(await (await client.get('/accounts/login/', { query: { next } })).text()).toBe('login page, next=/home/');
    }
    expect(await (await client.get('/accounts/login/', { query: { next: '/account/?tab=2' } })).text()).toBe('login page, next=/account/?tab=2');
  });
});
