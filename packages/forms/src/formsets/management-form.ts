import { fields } from '../fields/field-factories.js';
import { form } from '../form/define-form.js';
import { HiddenInput } from '../widgets/input.js';

/** Names of the management fields, as Django (and its admin JavaScript) use them. */
export const TOTAL_FORMS = 'TOTAL_FORMS';
export const INITIAL_FORMS = 'INITIAL_FORMS';
export const MIN_NUM_FORMS = 'MIN_NUM_FORMS';
export const MAX_NUM_FORMS = 'MAX_NUM_FORMS';

const count = (required: boolean) => fields.integer({ widget: new HiddenInput(), min: 0, required });

/**
 * The hidden fields that tell the server how many forms a formset page
 * holds (`form-TOTAL_FORMS`, ...). TOTAL_FORMS and INITIAL_FORMS are
 * required non-negative integers; anything else means the data was
 * tampered with.
 */
export const ManagementForm = form(
  {
    [TOTAL_FORMS]: count(true),
    [INITIAL_FORMS]: count(true),
    [MIN_NUM_FORMS]: count(false),
    [MAX_NUM_FORMS]: count(false),
  },
  { name: 'ManagementForm' },
);

/** A management count from raw data: a non-negative integer, or null (missing, negative, not a number). */
export function managementCount(raw: unknown): number | null {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : null;
  if (text === null) return null;
  if (/^\d{1,9}$/.test(text)) return Number(text);
  // A longer run of digits is a huge count: capped by absoluteMax and reported, never parsed.
  return /^\d+$/.test(text) ? Number.MAX_SAFE_INTEGER : null;
}
