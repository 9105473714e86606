import { createApplication, include, type Application, type MiddlewareFactory } from '@atrium/core';
import { TestClient } from '@atrium/core/testing';
import type { AuthUser } from '@atrium/auth';
import authApp from '@atrium/auth/app';
import adminApp from '../../src/app.js';
import type { AdminSite } from '../../src/index.js';

/**
 * Users chosen by the X-Test-User header: the admin only needs an AuthUser
 * on request.state.user, whatever middleware puts it there.
 */
const USERS: Record<string, { staff: boolean; superuser?: boolean; active?: boolean; perms?: string[] }> = {
  super: { staff: true, superuser: true },
  viewer: { staff: true, perms: ['blog.view_post', 'blog.view_author'] },
  editor: { staff: true, perms: ['blog.view_post', 'blog.add_post', 'blog.change_post', 'blog.delete_post', 'blog.view_author', 'blog.view_comment'] },
  nobody: { staff: true },
  // All post permissions; comments: may add and view, neither change nor delete.
  commenter: { staff: true, perms: ['blog.view_post', 'blog.add_post', 'blog.change_post', 'blog.view_author', 'blog.add_comment', 'blog.view_comment'] },
  member: { staff: false, perms: ['blog.view_post'] },
  retired: { staff: true, superuser: true, active: false },
};

export function testUser(name: string): AuthUser {
  const spec = USERS[name]!;
  const perms = new Set(spec.perms ?? []);
  const active = spec.active ?? true;
  const hasPerm = (perm: string): boolean => active && (spec.superuser === true || perms.has(perm));
  return {
    isAuthenticated: true,
    isAnonymous: false,
    isActive: active,
    isStaff: spec.staff,
    isSuperuser: spec.superuser ?? false,
    pk: `${name}-id`,
    hasPerm,
    hasPerms: (list) => [...list].every(hasPerm),
    hasModulePerms: (app) => [...perms].some((perm) => perm.startsWith(`${app}.`)),
    getAllPermissions: () => perms,
    getUsername: () => name,
  };
}

const testUserMiddleware: MiddlewareFactory = () => async (request, next) => {
  const name = request.header('x-test-user');
  if (name && USERS[name]) request.state.user = testUser(name);
  return next(request);
};

/** An application serving `site` under /admin/ with the real middleware stack, and a client for it. */
export async function adminClient(site: AdminSite, settings: Record<string, unknown> = {}): Promise<{ app: Application; client: TestClient }> {
  const app = await createApplication({
    settings: {
      SECRET_KEY: 'admin-test-secret-key-0123456789abcdefghijklmnop',
      ALLOWED_HOSTS: ['testserver'],
      MIDDLEWARE: ['security', 'sessions', 'common', 'csrf', testUserMiddleware, 'messages'],
      SESSION_ENGINE: 'memory',
      TEMPLATES: { BACKEND: '@atrium/templates', DIRS: [], APP_DIRS: true, OPTIONS: {} },
      ...settings,
    },
    routes: [include('admin/', site.urls, { namespace: site.name })],
    apps: [authApp, adminApp],
    env: {},
  });
  return { app, client: new TestClient(app) };
}

/** The CSRF token of the form on a page. */
export function csrfOf(html: string): string {
  const match = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(html);
  if (!match) throw new Error(`No CSRF token in the page: ${html.slice(0, 300)}`);
  return match[1]!;
}
