import type { IssueInit } from './issue.js';

// Lone UTF-16 surrogates: what a JSON body's "\ud800" decodes to. They are not
// text, cannot be stored as UTF-8 by PostgreSQL, and break rendering.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text checks every text field runs before its own rules: no NUL characters
 * (PostgreSQL refuses them, as Django's ProhibitNullCharactersValidator
 * says) and no lone surrogates. Invalid UTF-8 in a body has already become
 * U+FFFD when it was decoded; that is a real character and passes.
 */
export function textIssue(value: string): IssueInit | null {
  if (value.includes('\0')) return { code: 'null_characters' };
  if (LONE_SURROGATE.test(value)) return { code: 'invalid_unicode' };
  return null;
}
