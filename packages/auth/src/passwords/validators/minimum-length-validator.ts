import type { PasswordIssue, PasswordValidator } from './password-validator.js';

/**
 * Refuse passwords shorter than `minLength` characters (default 8, as
 * NIST SP 800-63B and ASVS 5.0 ask). Length counts code points, so an emoji
 * is one character.
 * @example new MinimumLengthValidator({ minLength: 12 }).validate('short') // { code: 'password_too_short', ... }
 */
export class MinimumLengthValidator implements PasswordValidator {
  readonly minLength: number;

  constructor(options: { minLength?: number } = {}) {
    this.minLength = options.minLength ?? 8;
    if (!Number.isInteger(this.minLength) || this.minLength < 1) {
      throw new TypeError(`MinimumLengthValidator minLength must be a positive integer, got ${String(options.minLength)}`);
    }
  }

  validate(password: string): PasswordIssue | null {
    if ([...password].length >= this.minLength) return null;
    return {
      code: 'password_too_short',
      message: `This password is too short. It must contain at least ${this.minLength} character${this.minLength === 1 ? '' : 's'}.`,
    };
  }

  helpText(): string {
    return `Your password must contain at least ${this.minLength} character${this.minLength === 1 ? '' : 's'}.`;
  }
}
