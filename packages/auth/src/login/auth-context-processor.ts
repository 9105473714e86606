import type { HttpRequest } from '@atrium/core';
import type { AuthUser } from '../guards/auth-user.js';
import { getUser } from './user-slot.js';

/**
 * Permissions for templates, which cannot await: `perms.blog.change_post`,
 * `perms.has('blog.change_post')` and `perms.hasModule('blog')` answer from
 * the user's permissions, read once when the template is rendered.
 */
export interface TemplatePermissions {
  has(perm: string): boolean;
  hasModule(appLabel: string): boolean;
  readonly [appLabel: string]: unknown;
}

/**
 * The 'auth' context processor: `user` (the current user, AnonymousUser
 * when logged out) and `perms`. Name it in TEMPLATES.OPTIONS.contextProcessors.
 * @example TEMPLATES: { OPTIONS: { contextProcessors: ['request', 'csrf', 'messages', 'auth'] } }
 */
export async function authContextProcessor(request: HttpRequest): Promise<{ user: AuthUser; perms: TemplatePermissions }> {
  const user = await getUser(request);
  const all = user.isAuthenticated ? await user.getAllPermissions() : new Set<string>();
  const everything = user.isActive && user.isSuperuser;
  const has = (perm: string): boolean => everything || all.has(perm);
  const hasModule = (app: string): boolean => everything || [...all].some((perm) => perm.startsWith(`${app}.`));
  const perms = new Proxy({ has, hasModule } as TemplatePermissions, {
    get(target, app) {
      if (app === 'has' || app === 'hasModule') return target[app];
      if (typeof app !== 'string' || app === 'then') return undefined;
      // `perms.blog.change_post` in a template.
      return new Proxy({}, { get: (_inner, codename) => (typeof codename === 'string' ? has(`${app}.${codename}`) : undefined) });
    },
  });
  return { user, perms };
}
