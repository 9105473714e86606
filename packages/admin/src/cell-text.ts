import { isSafe, type SafeHtml } from '@atrium/templates';
import type { AnyField } from '@atrium/orm';

/** What an empty value shows in lists and read-only fields. */
export const EMPTY_VALUE = '-';

/**
 * The text of a value in the changelist or a read-only field: choice
 * labels, Yes/No for booleans, ISO dates, an object's own text. A SafeHtml
 * (markSafe from a computed column) passes through; anything else is
 * escaped by the template.
 */
export function cellText(value: unknown, field: AnyField | null): string | SafeHtml {
  if (value === null || value === undefined || value === '') return EMPTY_VALUE;
  if (isSafe(value)) return value as SafeHtml;
  const choices = field?.options.choices;
  if (choices) {
    for (const choice of choices) {
      if (Array.isArray(choice) && (choice as readonly unknown[])[0] === value) return String((choice as readonly unknown[])[1]);
    }
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? EMPTY_VALUE : value.toISOString().replace('T', ' ').slice(0, 19);
  if (Array.isArray(value)) return value.map((v) => String(v)).join(', ');
  return String(value);
}
