import type { HttpRequest } from '@atrium/core';
import { checkFieldNames } from './field-names.js';
import { Form, type BindOptionsOf, type FieldDeclarations, type FieldsOf, type FormInit, type FormOptions } from './form.js';

/** What `form()` returns: a Form class for these fields, to instantiate, bind or subclass. */
export interface FormClass<F extends FieldDeclarations> {
  new (init?: FormInit<F>): Form<F>;
  readonly prototype: Form<F>;
  readonly declaredFields: FieldDeclarations;
  readonly formOptions: FormOptions<FieldDeclarations>;
  /** See Form.bind: the form bound to the request's data (unbound for a plain GET). */
  bind<T extends Form, I extends FormInit<FieldsOf<T>> = FormInit<FieldsOf<T>>>(this: new (init?: I) => T, request: HttpRequest, options?: BindOptionsOf<I>): Promise<T>;
}

/**
 * Declare a form class from its fields; the cleaned data's type follows
 * from the declaration. Subclass the result to add `clean()` or other
 * methods.
 * @example
 * const ContactForm = form({
 *   name: fields.char({ maxLength: 100 }),
 *   email: fields.email(),
 *   message: fields.text({ maxLength: 5000 }),
 * });
 * const contact = new ContactForm({ data: { name: 'Ann', email: 'ann@example.com', message: 'Hi' } });
 * if (await contact.isValid()) contact.cleanedData.email; // string
 */
export function form<const F extends FieldDeclarations>(declared: F, options: FormOptions<F> = {}): FormClass<F> {
  checkFieldNames(Object.keys(declared), options.name ?? 'form()');
  const declaredForm = class extends Form<F> {
    static override declaredFields: FieldDeclarations = declared;
    static override formOptions = options as FormOptions<FieldDeclarations>;
  };
  // Error messages name the form; a subclass has its own class name.
  Object.defineProperty(declaredForm, 'name', { value: options.name ?? 'Form' });
  return declaredForm;
}
