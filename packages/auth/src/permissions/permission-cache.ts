/**
 * Permission sets computed for one user object, so a page asking ten
 * questions costs two queries, not twenty (Django's `_perm_cache`). The
 * cache lives as long as the object: a user loaded by the next request
 * starts afresh, so changes show up there.
 */
export interface PermissionCache {
  user?: Promise<ReadonlySet<string>>;
  group?: Promise<ReadonlySet<string>>;
  all?: Promise<ReadonlySet<string>>;
}

const caches = new WeakMap<object, PermissionCache>();

/** The cache of `user`, created on first use. */
export function permissionCache(user: object): PermissionCache {
  let cache = caches.get(user);
  if (!cache) caches.set(user, (cache = {}));
  return cache;
}

/**
 * Forget the permissions cached on `user` (after changing its groups or
 * permissions in the same request).
 * @example await user.groups.add(editors); clearPermissionCache(user); await user.hasPerm('blog.change_post');
 */
export function clearPermissionCache(user: object): void {
  caches.delete(user);
}
