import type { FormError } from '../validation/issue.js';

/** Key of errors that belong to the whole form, not one field (as in Django). */
export const NON_FIELD_ERRORS = '__all__';

/**
 * The errors of a form: by field name, with NON_FIELD_ERRORS for the form
 * itself. Each error keeps its code and parameters next to the message.
 * @example form.errors.get('email')[0]?.code // 'invalid_email'
 */
export class FormErrors {
  readonly #byField = new Map<string, FormError[]>();

  /** Record an error for `field` (NON_FIELD_ERRORS for the form). */
  add(field: string, error: FormError): void {
    const list = this.#byField.get(field);
    if (list) list.push(error);
    else this.#byField.set(field, [error]);
  }

  /** The errors of one field ([] when none). */
  get(field: string): readonly FormError[] {
    return this.#byField.get(field) ?? [];
  }

  /** The messages of one field. */
  messages(field: string): string[] {
    return this.get(field).map((error) => error.message);
  }

  has(field: string, code?: string): boolean {
    const list = this.#byField.get(field);
    return list !== undefined && (code === undefined || list.some((error) => error.code === code));
  }

  /** Names of the fields with errors (NON_FIELD_ERRORS included when the form has some). */
  fields(): string[] {
    return [...this.#byField.keys()];
  }

  get isEmpty(): boolean {
    return this.#byField.size === 0;
  }

  /** Errors as plain data for a JSON response: `{ email: [{ code, message, params }] }`. */
  toJSON(): Record<string, Array<{ code: string; message: string; params: FormError['params'] }>> {
    const out: Record<string, Array<{ code: string; message: string; params: FormError['params'] }>> = {};
    for (const [field, list] of this.#byField) {
      // Field names were checked when the form was declared; never a prototype key.
      out[field] = list.map(({ code, message, params }) => ({ code, message, params }));
    }
    return out;
  }
}
