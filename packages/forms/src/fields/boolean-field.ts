import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { CheckboxInput } from '../widgets/checkbox-input.js';
import { Select } from '../widgets/select.js';
import type { Widget, WidgetChoice } from '../widgets/widget.js';
import { EMPTY, FormField, type Empty, type FormFieldOptions } from './form-field.js';

const TRUE_TEXT = new Set(['true', 'on', '1', 'yes']);
const FALSE_TEXT = new Set(['', 'false', 'off', '0', 'no']);

/** true/false from a checkbox's raw value, a JSON boolean or 0/1, or a text; null when it is none of these. */
function toBoolean(raw: unknown): boolean | null {
  if (typeof raw === 'boolean') return raw;
  if (raw === 0 || raw === 1) return raw === 1;
  if (typeof raw === 'string') {
    const text = raw.trim().toLowerCase();
    if (TRUE_TEXT.has(text)) return true;
    if (FALSE_TEXT.has(text)) return false;
  }
  return null;
}

/**
 * A checkbox. Not required by default; `required: true` means it must be
 * checked ("I accept the terms"). Unchecked gives false.
 * @example fields.boolean({ label: 'Subscribe to the newsletter' })
 */
export class BooleanField extends FormField<boolean> {
  constructor(options: FormFieldOptions<boolean> = {}) {
    super(options, false);
  }

  protected defaultWidget(): Widget {
    return new CheckboxInput();
  }

  protected toValue(raw: unknown): boolean | Empty {
    if (raw === undefined || raw === null) return EMPTY;
    const value = toBoolean(raw);
    if (value === null) throw new ValidationError({ code: 'invalid_boolean' });
    return value ? true : EMPTY;
  }

  protected buildSchema(): z.ZodType {
    return z.boolean();
  }

  protected emptyValue(): boolean {
    return false;
  }

  override formatValue(value: unknown): string | null {
    return toBoolean(value) === true ? 'true' : 'false';
  }
}

/**
 * Yes, no or unknown: a select giving true, false or null (for a nullable
 * boolean column).
 */
export class NullBooleanField extends FormField<boolean | null> {
  constructor(options: FormFieldOptions<boolean | null> = {}) {
    super(options, false);
  }

  protected defaultWidget(): Widget {
    return new Select();
  }

  protected toValue(raw: unknown): boolean | null | Empty {
    if (raw === undefined || raw === null || raw === '' || raw === 'unknown') return EMPTY;
    const value = toBoolean(raw);
    if (value === null) throw new ValidationError({ code: 'invalid_boolean' });
    return value;
  }

  protected buildSchema(): z.ZodType {
    return z.boolean();
  }

  protected emptyValue(): boolean | null {
    return null;
  }

  override formatValue(value: unknown): string {
    if (value === null || value === undefined || value === '') return 'unknown';
    const parsed = toBoolean(value);
    return parsed === null ? 'unknown' : String(parsed);
  }

  override widgetChoices(): readonly WidgetChoice[] {
    return [
      { value: 'unknown', label: 'Unknown' },
      { value: 'true', label: 'Yes' },
      { value: 'false', label: 'No' },
    ];
  }
}
