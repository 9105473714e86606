import { ImproperlyConfigured, type AppContext } from '@atrium/core';
import { MAX_PASSWORD_LENGTH, PasswordValidationError } from '../../errors.js';
import { authSettings, type AuthSettings } from '../../settings.js';
import { CommonPasswordValidator } from './common-password-validator.js';
import { MinimumLengthValidator } from './minimum-length-validator.js';
import { NumericPasswordValidator } from './numeric-password-validator.js';
import type { PasswordIssue, PasswordUser, PasswordValidator } from './password-validator.js';
import { UserAttributeSimilarityValidator } from './user-attribute-similarity-validator.js';

/** Builds a validator from its AUTH_PASSWORD_VALIDATORS OPTIONS. */
export type PasswordValidatorFactory = (options: Readonly<Record<string, unknown>>) => PasswordValidator;

const factories = new Map<string, PasswordValidatorFactory>([
  ['MinimumLengthValidator', (o) => new MinimumLengthValidator(o as { minLength?: number })],
  ['CommonPasswordValidator', (o) => new CommonPasswordValidator(o as { passwordListPath?: string })],
  ['NumericPasswordValidator', () => new NumericPasswordValidator()],
  ['UserAttributeSimilarityValidator', (o) => new UserAttributeSimilarityValidator(o as { userAttributes?: string[]; maxSimilarity?: number })],
]);

/**
 * Make a validator available to AUTH_PASSWORD_VALIDATORS under `name`.
 * @example registerPasswordValidator('BreachedPasswordValidator', () => new BreachedPasswordValidator());
 */
export function registerPasswordValidator(name: string, factory: PasswordValidatorFactory): void {
  factories.set(name, factory);
}

/**
 * The validators AUTH_PASSWORD_VALIDATORS lists; an unknown NAME or bad OPTIONS throws ImproperlyConfigured.
 * @example const validators = buildPasswordValidators(parseAuthSettings({ AUTH_PASSWORD_VALIDATORS: [{ NAME: 'MinimumLengthValidator', OPTIONS: { minLength: 12 } }] }));
 */
export function buildPasswordValidators(settings: Pick<AuthSettings, 'AUTH_PASSWORD_VALIDATORS'>): PasswordValidator[] {
  return settings.AUTH_PASSWORD_VALIDATORS.map((entry, index) => {
    const factory = factories.get(entry.NAME);
    if (!factory) {
      throw new ImproperlyConfigured(
        `AUTH_PASSWORD_VALIDATORS[${index}].NAME is '${entry.NAME}', which is not a known validator; known: ${[...factories.keys()].join(', ')}. Fix the name or call registerPasswordValidator() first.`,
      );
    }
    try {
      return factory(entry.OPTIONS);
    } catch (cause) {
      throw new ImproperlyConfigured(`AUTH_PASSWORD_VALIDATORS[${index}] (${entry.NAME}) has bad OPTIONS: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
  });
}

const byApp = new WeakMap<AppContext, PasswordValidator[]>();

/**
 * The project's password validators (AUTH_PASSWORD_VALIDATORS).
 * @example for (const v of passwordValidators(request.app)) console.log(v.helpText());
 */
export function passwordValidators(app: AppContext): PasswordValidator[] {
  let validators = byApp.get(app);
  if (!validators) {
    validators = buildPasswordValidators(authSettings(app));
    byApp.set(app, validators);
  }
  return validators;
}

/**
 * Every problem the validators find with `password` (empty when it passes).
 * A password over the length cap is refused here too, before any validator runs.
 * @example const issues = await passwordIssues('123456', validators); // [{ code: 'password_too_short', ... }, ...]
 */
export async function passwordIssues(password: string, validators: readonly PasswordValidator[], user?: PasswordUser): Promise<PasswordIssue[]> {
  if (password.length > MAX_PASSWORD_LENGTH) {
    return [{ code: 'password_too_long', message: `This password is too long. It must contain at most ${MAX_PASSWORD_LENGTH} characters.` }];
  }
  const issues: PasswordIssue[] = [];
  for (const validator of validators) {
    const issue = await validator.validate(password, user);
    if (issue) issues.push(issue);
  }
  return issues;
}

/**
 * Throw PasswordValidationError listing every problem, or return when the password passes.
 * @example await validatePassword(form.password, passwordValidators(request.app), { username: form.username });
 */
export async function validatePassword(password: string, validators: readonly PasswordValidator[], user?: PasswordUser): Promise<void> {
  const issues = await passwordIssues(password, validators, user);
  if (issues.length > 0) throw new PasswordValidationError(issues);
}

/**
 * The validators' help texts, for a password field.
 * @example passwordHelpTexts(passwordValidators(request.app)).join(' ')
 */
export function passwordHelpTexts(validators: readonly PasswordValidator[]): string[] {
  return validators.map((validator) => validator.helpText());
}
