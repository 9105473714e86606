/** One problem with a password: a stable code and the message to show the user. */
export interface PasswordIssue {
  readonly code: string;
  readonly message: string;
}

/** The user a password is for; validators read attributes such as username and email. */
export type PasswordUser = Readonly<Record<string, unknown>>;

/**
 * A password rule (AUTH_PASSWORD_VALIDATORS). `validate` returns the
 * problem, or null when the password passes; it may be async (a breach-list
 * lookup).
 */
export interface PasswordValidator {
  validate(password: string, user?: PasswordUser): PasswordIssue | null | Promise<PasswordIssue | null>;
  /** One sentence shown next to a password field, e.g. "Your password must contain at least 8 characters." */
  helpText(): string;
}
