import { ImproperlyConfigured } from '@atrium/core';

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Names that would shadow object machinery when used as keys of cleanedData or templates' lookups.
const RESERVED = new Set(['__proto__', 'constructor', 'prototype', '__all__']);

/** Refuse field names that are not identifiers, or that are reserved, when a form is declared. */
export function checkFieldNames(names: Iterable<string>, owner: string): void {
  for (const name of names) {
    if (!FIELD_NAME.test(name) || RESERVED.has(name)) {
      throw new ImproperlyConfigured(
        `${owner} declares a field named ${JSON.stringify(name)}; field names are identifiers (letters, digits, '_') and not one of ${[...RESERVED].join(', ')}. Rename the field.`,
      );
    }
  }
}

/** "publishedAt" -> "Published at", "first_name" -> "First name". */
export function labelFromName(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
