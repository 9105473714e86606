/**
 * Error classes of @atrium/forms, with stable codes. Bad input never raises
 * these out of a form (it becomes form errors); they signal programming and
 * configuration mistakes, and invalid pages for views to turn into 404s.
 */
import { AtriumError } from '@atrium/core';
import type { IssueInit } from './validation/issue.js';

/**
 * Raised by validators and `clean()` hooks to report invalid data; the form
 * catches it and stores its issues as errors. Never escapes `isValid()`.
 * @example
 * throw new ValidationError({ code: 'password_mismatch', message: 'The two passwords differ.' });
 * throw new ValidationError('Pick another title.');
 */
export class ValidationError extends AtriumError {
  readonly issues: readonly IssueInit[];
  constructor(issues: string | IssueInit | readonly IssueInit[]) {
    const list: IssueInit[] = typeof issues === 'string' ? [{ code: 'invalid', message: issues }] : Array.isArray(issues) ? [...issues] : [issues as IssueInit];
    super('E_VALIDATION', list.map((issue) => issue.message ?? issue.code).join(' '));
    this.issues = list;
  }
}

/** `cleanedData` was read before `await form.isValid()` (or the form is unbound). */
export class FormNotValidated extends AtriumError {
  constructor(formName: string, bound: boolean) {
    super(
      'E_FORM_NOT_VALIDATED',
      bound
        ? `${formName}.cleanedData was read before validation; call \`await form.isValid()\` first and read cleanedData only when it returned true.`
        : `${formName}.cleanedData was read on an unbound form; bind data with \`await ${formName}.bind(request)\` or \`new ${formName}({ data })\`, then call \`await form.isValid()\`.`,
    );
  }
}

/** `cleanedData` was read on a form that is not valid. */
export class FormInvalid extends AtriumError {
  constructor(formName: string, fields: readonly string[]) {
    super(
      'E_FORM_INVALID',
      `${formName}.cleanedData was read on an invalid form (errors on ${fields.map((f) => `'${f}'`).join(', ')}); check \`await form.isValid()\` before using cleanedData, and re-render the form with its errors otherwise.`,
    );
  }
}

/** A field with lazily loaded choices (model choice) was rendered before `await form.prepare()`. */
export class ChoicesNotLoaded extends AtriumError {
  constructor(formName: string, field: string) {
    super(
      'E_CHOICES_NOT_LOADED',
      `Field '${field}' of ${formName} takes its choices from a queryset, which is loaded asynchronously; call \`await form.prepare()\` before rendering the form (generic views do it for you).`,
    );
  }
}

/**
 * A page number that is not a page: base class of PageNotAnInteger and
 * EmptyPage. ListView turns it into a 404; a view of your own can do the same
 * or fall back to `paginator.getPage()`, which never throws.
 */
export class InvalidPage extends AtriumError {}

/** `?page=abc`: the page number is not a positive whole number. */
export class PageNotAnInteger extends InvalidPage {
  constructor(value: unknown) {
    super('E_PAGE_NOT_AN_INTEGER', `Page number ${describeValue(value)} is not a whole number; use 1, 2, 3... (or 'last').`);
  }
}

/** A page number below 1 or beyond the last page. */
export class EmptyPage extends InvalidPage {
  constructor(number: number, numPages: number) {
    super(
      'E_EMPTY_PAGE',
      number < 1 ? `Page number ${number} is less than 1; pages are numbered from 1.` : `Page ${number} contains no results; the last page is ${numPages}.`,
    );
  }
}

function describeValue(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  // Bounded: the value comes from the query string.
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
