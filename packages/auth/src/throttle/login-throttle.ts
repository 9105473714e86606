import { createHash } from 'node:crypto';
import type { AppContext } from '@atrium/core';
import { ThrottleUnavailable } from '../errors.js';
import { authSettings, type AuthSettings } from '../settings.js';
import { MemoryThrottleStore } from './memory-throttle-store.js';
import { RedisThrottleStore } from './redis-throttle-store.js';
import type { ThrottleStore } from './throttle-store.js';

export interface LoginThrottleOptions {
  /** Failures per username within the window before it is locked. */
  usernameLimit: number;
  /** Failures per client address within the window before it is locked. */
  ipLimit: number;
  /** Seconds over which failures count. */
  window: number;
  /** Seconds a lock lasts. */
  lockout: number;
  /** Failures per username after which each attempt is slowed. */
  delayAfter: number;
  /** ms of the first delay; doubles per further failure, at most MAX_DELAY_MS. */
  delayMs: number;
}

export const MAX_DELAY_MS = 5000;

/** What the login view does next. */
export interface ThrottleDecision {
  /** False while the username or the address is locked: refuse without checking the password. */
  readonly allowed: boolean;
  /** ms to wait before checking the password, to slow guessing. */
  readonly delayMs: number;
  /** Seconds until the lock ends (0 when allowed); for a Retry-After header. */
  readonly retryAfter: number;
  /** What to tell the user when refused. Worded the same whether or not the account exists. */
  readonly message: string | null;
}

/**
 * Slows, then locks, repeated failed logins per username and per client
 * address (ASVS 2.2.1; Django has none). Usernames are counted whether or
 * not an account has them, and the lock-out message never says which, so
 * the throttle cannot be used to find accounts. Store failures refuse the
 * login (ThrottleUnavailable, 503) rather than let guessing run unthrottled.
 * @example
 * const decision = await throttle.check(username, request.clientAddress);
 * if (!decision.allowed) return render(request, 'login.html', { error: decision.message }, { status: 429 });
 * await sleep(decision.delayMs);
 * if (!(await authenticate(...))) await throttle.recordFailure(username, request.clientAddress); else await throttle.reset(username);
 */
export class LoginThrottle {
  readonly store: ThrottleStore;
  readonly options: Readonly<LoginThrottleOptions>;

  constructor(store: ThrottleStore, options: LoginThrottleOptions) {
    this.store = store;
    this.options = Object.freeze({ ...options });
  }

  /** Whether an attempt may go ahead, and how long to slow it. */
  async check(username: string, ip: string | undefined): Promise<ThrottleDecision> {
    const keys = keysFor(username, ip);
    return this.#guard(async () => {
      const locked = Math.max(await this.store.lockedFor(keys.userLock), await this.store.lockedFor(keys.ipLock));
      if (locked > 0) return refused(locked);
      return allowed(this.#delay(await this.store.count(keys.user)));
    });
  }

  /** Count a failed attempt; locks the username or address when it reaches its limit. Returns the decision for the next attempt. */
  async recordFailure(username: string, ip: string | undefined): Promise<ThrottleDecision> {
    const keys = keysFor(username, ip);
    const { usernameLimit, ipLimit, window, lockout } = this.options;
    return this.#guard(async () => {
      const userFailures = await this.store.increment(keys.user, window);
      const ipFailures = await this.store.increment(keys.ip, window);
      let locked = 0;
      if (userFailures >= usernameLimit) {
        await this.store.lock(keys.userLock, lockout);
        await this.store.delete(keys.user);
        locked = lockout;
      }
      if (ipFailures >= ipLimit) {
        await this.store.lock(keys.ipLock, lockout);
        await this.store.delete(keys.ip);
        locked = lockout;
      }
      return locked > 0 ? refused(locked) : allowed(this.#delay(userFailures));
    });
  }

  /**
   * Forget a username's failures and lock (after a successful login, or by an
   * administrator); with `ip`, the address's too.
   */
  async reset(username: string, ip?: string): Promise<void> {
    const keys = keysFor(username, ip);
    await this.#guard(() => this.store.delete(keys.user, keys.userLock, ...(ip === undefined ? [] : [keys.ip, keys.ipLock])));
  }

  #delay(failures: number): number {
    const { delayAfter, delayMs } = this.options;
    if (failures < delayAfter || delayMs === 0) return 0;
    return Math.min(delayMs * 2 ** Math.min(failures - delayAfter, 16), MAX_DELAY_MS);
  }

  async #guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new ThrottleUnavailable(error);
    }
  }
}

function allowed(delayMs: number): ThrottleDecision {
  return { allowed: true, delayMs, retryAfter: 0, message: null };
}

function refused(seconds: number): ThrottleDecision {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return {
    allowed: false,
    delayMs: 0,
    retryAfter: seconds,
    message: `Too many failed login attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
  };
}

/** Hashed keys: bounded length whatever the client sends, and no usernames in the cache in clear. */
function keysFor(username: string, ip: string | undefined): { user: string; userLock: string; ip: string; ipLock: string } {
  const user = digest(username.normalize('NFKC').trim().toLowerCase());
  const address = digest(ip ?? 'unknown');
  return { user: `u:${user}`, userLock: `lock:u:${user}`, ip: `ip:${address}`, ipLock: `lock:ip:${address}` };
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 32);
}

/**
 * The options AUTH_THROTTLE_* describe.
 * @example new LoginThrottle(new MemoryThrottleStore(), throttleOptions(authSettings(app)))
 */
export function throttleOptions(settings: AuthSettings): LoginThrottleOptions {
  return {
    usernameLimit: settings.AUTH_THROTTLE_USERNAME_LIMIT,
    ipLimit: settings.AUTH_THROTTLE_IP_LIMIT,
    window: settings.AUTH_THROTTLE_WINDOW,
    lockout: settings.AUTH_THROTTLE_LOCKOUT,
    delayAfter: settings.AUTH_THROTTLE_DELAY_AFTER,
    delayMs: settings.AUTH_THROTTLE_DELAY_MS,
  };
}

const byApp = new WeakMap<AppContext, LoginThrottle>();
/** Throttle stores opened by running projects, with their project, closed by the auth app's close hook. */
export const openThrottleStores = new Map<ThrottleStore, AppContext>();

/**
 * Use `throttle` as the project's login throttle (tests give one with a fake
 * clock; a project may share one store between several applications).
 * @example useLoginThrottle(app.context, new LoginThrottle(new MemoryThrottleStore({ now: () => clock }), throttleOptions(authSettings(app.context))));
 */
export function useLoginThrottle(app: AppContext, throttle: LoginThrottle): void {
  byApp.set(app, throttle);
}

/**
 * The project's login throttle (AUTH_THROTTLE_* settings), one per application.
 * @example const decision = await loginThrottle(request.app).check(username, request.clientAddress);
 */
export function loginThrottle(app: AppContext): LoginThrottle {
  let throttle = byApp.get(app);
  if (!throttle) {
    const settings = authSettings(app);
    const store = settings.AUTH_THROTTLE_STORE === 'redis' ? new RedisThrottleStore({ url: settings.AUTH_THROTTLE_REDIS_URL }) : new MemoryThrottleStore();
    openThrottleStores.set(store, app);
    throttle = new LoginThrottle(store, throttleOptions(settings));
    byApp.set(app, throttle);
  }
  return throttle;
}
