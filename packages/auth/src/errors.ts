/**
 * Auth's error classes. Each has a stable `code` (tests assert it) and a
 * message that names the offending thing and the fix.
 */
import { AtriumError, HttpError, PermissionDenied } from '@atrium/core';

/** Longest password accepted (characters). Hashing is memory-hard, so an unbounded input would be a DoS lever. */
export const MAX_PASSWORD_LENGTH = 4096;

/** A password failed validation (too short, too common...). `messages` lists every problem, in validator order. */
export class PasswordValidationError extends AtriumError {
  readonly messages: readonly string[];
  readonly codes: readonly string[];
  constructor(issues: ReadonlyArray<{ code: string; message: string }>) {
    super('E_PASSWORD_INVALID', issues.map((issue) => issue.message).join(' '));
    this.messages = issues.map((issue) => issue.message);
    this.codes = issues.map((issue) => issue.code);
  }
}

/**
 * 413: a password over MAX_PASSWORD_LENGTH, refused before any hashing work.
 * An HttpError so a view that lets it escape answers 413 rather than 500.
 */
export class PasswordTooLong extends HttpError {
  constructor(length: number) {
    super(413, `The password is ${length} characters long; the maximum is ${MAX_PASSWORD_LENGTH}. Choose a shorter password.`, {
      code: 'E_PASSWORD_TOO_LONG',
    });
  }
}

/** A stored hash names an algorithm no configured hasher handles. */
export class UnknownPasswordHasher extends AtriumError {
  constructor(algorithm: string, known: readonly string[]) {
    super(
      'E_UNKNOWN_PASSWORD_HASHER',
      `No password hasher handles the algorithm '${algorithm}'; configured: ${known.join(', ') || '(none)'}. Add it to PASSWORD_HASHERS (after the preferred one) so old hashes keep working.`,
    );
  }
}

/** 403 from the CSRF middleware; `reason` is Django's wording of the cause. */
export class CsrfFailure extends PermissionDenied {
  readonly reason: string;
  constructor(reason: string) {
    super(`CSRF verification failed: ${reason}`, { code: 'E_CSRF_FAILED' });
    this.reason = reason;
  }
}

/**
 * 503: the session store (Redis...) cannot be reached. Fails closed: the
 * request is refused rather than served as someone it cannot identify.
 */
export class SessionStoreUnavailable extends HttpError {
  constructor(store: string, cause?: unknown) {
    super(503, `The session store (${store}) is unavailable; the request was refused rather than served without its session. Check that the store is running and reachable.`, {
      code: 'E_SESSION_STORE_UNAVAILABLE',
      headers: { 'retry-after': '5' },
      cause,
    });
  }
}

/** A signed-cookie session grew past what a browser keeps in one cookie. */
export class SessionCookieTooLarge extends AtriumError {
  constructor(bytes: number, limit: number) {
    super(
      'E_SESSION_COOKIE_TOO_LARGE',
      `The signed-cookie session is ${bytes} bytes; browsers drop cookies over ${limit}. Store less in the session, or use SESSION_ENGINE 'redis' (or 'db').`,
    );
  }
}

/** 503: the login throttle's store cannot be reached, so login is refused rather than left unthrottled. */
export class ThrottleUnavailable extends HttpError {
  constructor(cause?: unknown) {
    super(503, 'The login throttle store is unavailable; login attempts are refused until it is back, rather than allowed without a limit.', {
      code: 'E_THROTTLE_UNAVAILABLE',
      headers: { 'retry-after': '5' },
      cause,
    });
  }
}

/** An e-mail could not be built or sent (bad header, backend failure). */
export class EmailError extends AtriumError {
  constructor(message: string, options?: { code?: string; cause?: unknown }) {
    super(options?.code ?? 'E_EMAIL', message, options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

/**
 * `request.state.user` was read before the user was loaded. Loading needs the
 * session (and, for a logged-in session, the database), so it is async.
 */
export class UserNotLoaded extends AtriumError {
  constructor() {
    super(
      'E_USER_NOT_LOADED',
      "request.state.user was read before the user was loaded; call `await getUser(request)` first (guards such as loginRequired and the 'auth' template context processor do it for you).",
    );
  }
}

/** A second-factor step failed in a way the user cannot fix by retyping (no pending login, expired). */
export class TwoFactorError extends AtriumError {
  constructor(message: string, code = 'E_TWO_FACTOR') {
    super(code, message);
  }
}

/** An auth management command was given input it must refuse (an invalid or taken username, a weak password with --no-input). */
export class AuthCommandError extends AtriumError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}
