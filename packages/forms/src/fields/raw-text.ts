import { ValidationError } from '../errors.js';
import { EMPTY, type Empty } from './form-field.js';

/**
 * The text of a scalar field's raw data: a string as it is, EMPTY for
 * nothing (undefined/null), and an `invalid` issue (code `code`) for
 * anything else — an array where a scalar was expected, a JSON object or
 * boolean — so wrong types become errors, never exceptions.
 */
export function rawText(raw: unknown, code = 'invalid'): string | Empty {
  if (raw === undefined || raw === null) return EMPTY;
  if (typeof raw === 'string') return raw;
  throw new ValidationError({ code });
}

/** Like rawText, but finite JSON numbers are taken as their decimal text (numeric fields). */
export function rawNumericText(raw: unknown, code: string): string | Empty {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) throw new ValidationError({ code });
    return String(raw);
  }
  return rawText(raw, code);
}
