/**
 * What guards, views and templates need from the current user. User models
 * (the built-in one and any made with defineUserModel) implement it;
 * `AnonymousUser` stands in when nobody is logged in. Permission checks may
 * hit the database, so they may be async.
 */
export interface AuthUser {
  readonly isAuthenticated: boolean;
  readonly isAnonymous: boolean;
  readonly isActive: boolean;
  readonly isStaff: boolean;
  readonly isSuperuser: boolean;
  /** The primary key; null for the anonymous user. */
  readonly pk: unknown;
  /** 'app_label.codename' ('blog.change_post'); `obj` for object-level permissions. */
  hasPerm(perm: string, obj?: unknown): boolean | Promise<boolean>;
  /** True when the user holds every permission listed. */
  hasPerms(perms: Iterable<string>, obj?: unknown): boolean | Promise<boolean>;
  /** True when the user holds any permission of the app ('blog'). */
  hasModulePerms(appLabel: string): boolean | Promise<boolean>;
  /** Every permission the user holds, as 'app_label.codename' strings. */
  getAllPermissions(obj?: unknown): ReadonlySet<string> | Promise<ReadonlySet<string>>;
  /** The value of the user model's username field ('' for the anonymous user). */
  getUsername(): string;
}

/**
 * The user when nobody is logged in: not authenticated, no permissions.
 * @example const user = await getUser(request); if (user.isAnonymous) return redirectToLogin(request);
 */
export const AnonymousUser: AuthUser = Object.freeze({
  isAuthenticated: false,
  isAnonymous: true,
  isActive: false,
  isStaff: false,
  isSuperuser: false,
  pk: null,
  hasPerm: () => false,
  // Like Django: holding every one of no permissions is vacuously true.
  hasPerms: (perms: Iterable<string>) => [...perms].length === 0,
  hasModulePerms: () => false,
  // A new set each time: a frozen Set can still be added to.
  getAllPermissions: () => new Set<string>(),
  getUsername: () => '',
  toString: () => 'AnonymousUser',
});
