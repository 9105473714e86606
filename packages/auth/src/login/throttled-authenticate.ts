import type { HttpRequest } from '@atrium/core';
import type { AuthUser } from '../guards/auth-user.js';
import { loginThrottle } from '../throttle/login-throttle.js';
import { authenticate } from './authenticate.js';

/** The same words whether the username is unknown, the password wrong or the account inactive. */
export const INVALID_LOGIN = 'Please enter a correct username and password. Note that both fields may be case-sensitive.';

/** What a throttled password check gave: the user, or the form error to show (with Retry-After seconds when locked). */
export type ThrottledLogin = { ok: true; user: AuthUser } | { ok: false; code: 'throttled' | 'invalid_login'; message: string; retryAfter: number | null };

/**
 * The password step of a login page: ask the login throttle first (locked
 * whether or not the account exists; slowed: wait), then authenticate();
 * a failure is counted, a success resets the count. Logging in is the caller's job.
 * @example const result = await authenticateThrottled(request, username, password); if (result.ok) await login(request, result.user);
 */
export async function authenticateThrottled(request: HttpRequest, username: string, password: string): Promise<ThrottledLogin> {
  const throttle = loginThrottle(request.app);
  const ip = request.clientAddress;
  const decision = await throttle.check(username, ip);
  if (!decision.allowed) return { ok: false, code: 'throttled', message: decision.message!, retryAfter: decision.retryAfter };
  if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
  const user = await authenticate(request, { username, password });
  if (!user) {
    const after = await throttle.recordFailure(username, ip);
    if (!after.allowed) return { ok: false, code: 'throttled', message: after.message!, retryAfter: after.retryAfter };
    return { ok: false, code: 'invalid_login', message: INVALID_LOGIN, retryAfter: null };
  }
  await throttle.reset(username);
  return { ok: true, user };
}
