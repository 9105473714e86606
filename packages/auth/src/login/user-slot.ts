import type { HttpRequest } from '@atrium/core';
import { UserNotLoaded } from '../errors.js';
import { AnonymousUser, type AuthUser } from '../guards/auth-user.js';

interface Slot {
  user: AuthUser | undefined;
  loading: Promise<AuthUser> | undefined;
}

const slots = new WeakMap<HttpRequest, Slot>();
const loaders = new WeakMap<HttpRequest, (request: HttpRequest) => Promise<AuthUser>>();

/**
 * Give `request.state.user` a lazy slot: nothing is loaded until
 * `getUser(request)` runs (the DB hit happens only for requests that ask who
 * the user is). Reading `request.state.user` before then gives
 * AnonymousUser when the client sent no session cookie (nothing to load),
 * and throws UserNotLoaded otherwise.
 */
export function installUserSlot(request: HttpRequest, load: (request: HttpRequest) => Promise<AuthUser>, hasSessionCookie: boolean): void {
  const slot: Slot = { user: hasSessionCookie ? undefined : AnonymousUser, loading: undefined };
  if (!hasSessionCookie) slot.loading = Promise.resolve(AnonymousUser);
  slots.set(request, slot);
  loaders.set(request, load);
  Object.defineProperty(request.state, 'user', {
    get(): AuthUser {
      if (slot.user === undefined) throw new UserNotLoaded();
      return slot.user;
    },
    set(value: AuthUser) {
      slot.user = value;
      slot.loading = Promise.resolve(value);
    },
    enumerable: true,
    configurable: true,
  });
}

/**
 * The current user: loaded from the session once per request (by the 'auth'
 * middleware's loader), AnonymousUser when nobody is logged in. Without the
 * 'auth' middleware, whatever another middleware put on
 * `request.state.user`, else AnonymousUser.
 * @example const user = await getUser(request); if (await user.hasPerm('blog.add_post')) ...
 */
export function getUser(request: HttpRequest): Promise<AuthUser> {
  const slot = slots.get(request);
  if (!slot) {
    const state = request.state as Record<string, unknown>;
    return Promise.resolve(Object.hasOwn(state, 'user') && state['user'] ? (state['user'] as AuthUser) : AnonymousUser);
  }
  slot.loading ??= loaders.get(request)!(request).then((user) => {
    // login() or logout() during loading wins: keep what they set.
    slot.user ??= user;
    return slot.user;
  });
  return slot.loading;
}
