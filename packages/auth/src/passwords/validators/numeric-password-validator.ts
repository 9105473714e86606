import type { PasswordIssue, PasswordValidator } from './password-validator.js';

/**
 * Refuse passwords made only of digits (any script's digits), which fall to
 * a brute-force search of a tiny space.
 * @example new NumericPasswordValidator().validate('20240101') // { code: 'password_entirely_numeric', ... }
 */
export class NumericPasswordValidator implements PasswordValidator {
  validate(password: string): PasswordIssue | null {
    if (!/^\p{Nd}+$/u.test(password)) return null;
    return { code: 'password_entirely_numeric', message: 'This password is entirely numeric.' };
  }

  helpText(): string {
    return "Your password can't be entirely numeric.";
  }
}
