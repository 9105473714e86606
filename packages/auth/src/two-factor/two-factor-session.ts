import type { HttpRequest } from '@atrium/core';
import type { AuthUser } from '../guards/auth-user.js';
import { authenticatedBy } from '../login/authenticate.js';

/** Session key: the second factor was verified in this session (set at login with 2FA, or after enrolment). */
export const TWO_FACTOR_VERIFIED_KEY = '_auth_2fa';
/** Session key: a login waiting for its second factor (password step passed). */
export const PENDING_LOGIN_KEY = '_auth_2fa_pending';
/** Session key: the secret being enrolled, until a code confirms it. */
export const ENROLMENT_SECRET_KEY = '_auth_2fa_enrol';

/** A login between its password step and its second-factor step. */
export interface PendingLogin {
  /** The user's primary key, as a string. */
  readonly userId: string;
  readonly backend: string;
  /** Milliseconds since the epoch when the password step passed. */
  readonly at: number;
  /** Where to go after the second step (already checked by isSafeRedirect). */
  readonly next: string | null;
}

/**
 * True when this session passed a second factor (used by staffRequired when
 * AUTH_REQUIRE_2FA_FOR_STAFF is on).
 * @example if (!(await isTwoFactorVerified(request))) return redirect('/accounts/two-factor/verify/');
 */
export async function isTwoFactorVerified(request: HttpRequest): Promise<boolean> {
  const session = request.state.session;
  return session !== undefined && (await session.get(TWO_FACTOR_VERIFIED_KEY)) === true;
}

/** Record that this session passed a second factor. */
export async function markTwoFactorVerified(request: HttpRequest): Promise<void> {
  await request.state.session?.set(TWO_FACTOR_VERIFIED_KEY, true);
}

/** The pending login of this session, if any and not older than `timeoutSeconds`. */
export async function pendingLogin(request: HttpRequest, timeoutSeconds: number, now = Date.now()): Promise<PendingLogin | null> {
  const value = await request.state.session?.get<PendingLogin>(PENDING_LOGIN_KEY);
  if (typeof value !== 'object' || value === null) return null;
  if (typeof value.userId !== 'string' || typeof value.backend !== 'string' || typeof value.at !== 'number') return null;
  if (now - value.at > timeoutSeconds * 1000 || now < value.at) return null;
  return value;
}

/**
 * Start a login that waits for its second factor: the password step passed
 * for `user` (from authenticate()); the second-factor page (TWO_FACTOR_VERIFY_URL)
 * finishes it and goes to `next` (already checked with isSafeRedirect).
 * @example await beginPendingLogin(request, user, '/admin/'); return redirect('/accounts/two-factor/verify/');
 */
export async function beginPendingLogin(request: HttpRequest, user: AuthUser, next: string | null): Promise<void> {
  const pending: PendingLogin = { userId: String(user.pk), backend: authenticatedBy(user) ?? 'model', at: Date.now(), next };
  await request.state.session!.set(PENDING_LOGIN_KEY, pending);
}
