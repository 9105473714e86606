// Words people put in keys meant to be replaced; a real key is random and contains none of them.
const PLACEHOLDER_WORDS = /insecure|change[-_ ]?(?:me|this)|dev[-_ ]?only|not[-_ ]?(?:a[-_ ]?)?secret|placeholder|replace[-_ ]?me|your[-_ ]?secret|secret[-_ ]?key|example/i;

/** Django's thresholds for a key that can be guessed (checks.security.base W009). */
const MIN_LENGTH = 50;
const MIN_UNIQUE_CHARACTERS = 5;

/**
 * Why a SECRET_KEY looks unsafe for production, or null when it looks random.
 * `strict` adds the length rule used by `check --deploy`. The key itself is
 * never part of the answer, so it cannot leak into logs.
 * @example secretKeyWeakness('django-insecure-abc...', false) // "contains the word 'insecure'"
 */
export function secretKeyWeakness(key: string, strict: boolean): string | null {
  const word = PLACEHOLDER_WORDS.exec(key);
  if (word) return `contains the word '${word[0]}', so it looks like a placeholder`;
  if (new Set(key).size < MIN_UNIQUE_CHARACTERS) return `has fewer than ${MIN_UNIQUE_CHARACTERS} different characters`;
  if (strict && key.length < MIN_LENGTH) return `is ${key.length} characters long; use at least ${MIN_LENGTH}`;
  return null;
}

/** The command the hints suggest for making a new key. */
export const GENERATE_KEY_HINT =
  'Generate one with: node -e "console.log(require(\'node:crypto\').randomBytes(48).toString(\'base64url\'))" and set it through the ATRIUM_SECRET_KEY environment variable.';
