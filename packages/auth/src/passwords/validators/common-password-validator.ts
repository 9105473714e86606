import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PasswordIssue, PasswordValidator } from './password-validator.js';

/** The list shipped with the package: the most common passwords of public breach corpora, one per line. */
export const DEFAULT_COMMON_PASSWORDS_FILE = fileURLToPath(new URL('../../../data/common-passwords.txt', import.meta.url));

const lists = new Map<string, ReadonlySet<string>>();

/** Read a list once per process; lines are lower-cased and trimmed, blanks and `#` comments skipped. */
function loadList(file: string): ReadonlySet<string> {
  let list = lists.get(file);
  if (!list) {
    const words = readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .map((line) => line.trim().toLowerCase())
      .filter((line) => line !== '' && !line.startsWith('#'));
    list = new Set(words);
    lists.set(file, list);
  }
  return list;
}

/**
 * Refuse a password found in a list of common passwords (case-insensitive),
 * by default the list shipped in `data/common-passwords.txt`.
 * @example new CommonPasswordValidator().validate('Password1') // { code: 'password_too_common', ... }
 */
export class CommonPasswordValidator implements PasswordValidator {
  readonly passwords: ReadonlySet<string>;

  constructor(options: { passwordListPath?: string } = {}) {
    this.passwords = loadList(options.passwordListPath ?? DEFAULT_COMMON_PASSWORDS_FILE);
  }

  validate(password: string): PasswordIssue | null {
    if (!this.passwords.has(password.trim().toLowerCase())) return null;
    return { code: 'password_too_common', message: 'This password is too common.' };
  }

  helpText(): string {
    return "Your password can't be a commonly used password.";
  }
}
