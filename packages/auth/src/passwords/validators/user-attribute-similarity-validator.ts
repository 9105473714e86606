import type { PasswordIssue, PasswordUser, PasswordValidator } from './password-validator.js';

export const DEFAULT_USER_ATTRIBUTES = ['username', 'firstName', 'lastName', 'email'] as const;

/**
 * Refuse a password too similar to the user's own attributes (username,
 * names, e-mail, and each word of them). Similarity is Python difflib's
 * `quick_ratio`, as in Django: 2 * shared characters / total length.
 * @example new UserAttributeSimilarityValidator().validate('ada.lovelace1', { username: 'ada.lovelace' }) // { code: 'password_too_similar', ... }
 */
export class UserAttributeSimilarityValidator implements PasswordValidator {
  readonly userAttributes: readonly string[];
  readonly maxSimilarity: number;

  constructor(options: { userAttributes?: readonly string[]; maxSimilarity?: number } = {}) {
    this.userAttributes = options.userAttributes ?? DEFAULT_USER_ATTRIBUTES;
    this.maxSimilarity = options.maxSimilarity ?? 0.7;
    if (!(this.maxSimilarity >= 0.1 && this.maxSimilarity <= 1)) {
      throw new TypeError(`UserAttributeSimilarityValidator maxSimilarity must be between 0.1 and 1, got ${String(options.maxSimilarity)}`);
    }
  }

  validate(password: string, user?: PasswordUser): PasswordIssue | null {
    if (!user) return null;
    const lowered = password.toLowerCase();
    for (const attribute of this.userAttributes) {
      const value = user[attribute];
      if (typeof value !== 'string' || value === '') continue;
      const lowerValue = value.toLowerCase();
      const parts = [lowerValue, ...lowerValue.split(/\W+/u).filter(Boolean)];
      for (const part of parts) {
        if (exceedsLengthRatio(lowered, this.maxSimilarity, part)) continue;
        if (quickRatio(lowered, part) >= this.maxSimilarity) {
          return { code: 'password_too_similar', message: `The password is too similar to the ${verboseName(attribute)}.` };
        }
      }
    }
    return null;
  }

  helpText(): string {
    return "Your password can't be too similar to your other personal information.";
  }
}

/** Django's shortcut: a password far longer than the value cannot reach the similarity bound. */
function exceedsLengthRatio(password: string, maxSimilarity: number, value: string): boolean {
  const bound = (maxSimilarity / 2) * password.length;
  return password.length >= 10 * value.length && value.length < bound;
}

/** difflib.SequenceMatcher.quick_ratio: an upper bound on similarity from character counts alone. */
export function quickRatio(a: string, b: string): number {
  const total = a.length + b.length;
  if (total === 0) return 1;
  const counts = new Map<string, number>();
  for (const c of b) counts.set(c, (counts.get(c) ?? 0) + 1);
  let matches = 0;
  for (const c of a) {
    const n = counts.get(c) ?? 0;
    if (n > 0) {
      matches++;
      counts.set(c, n - 1);
    }
  }
  return (2 * matches) / total;
}

/** 'firstName' -> 'first name'. */
function verboseName(attribute: string): string {
  return attribute.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
}
