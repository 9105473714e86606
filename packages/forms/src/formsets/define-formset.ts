import type { HttpRequest } from '@atrium/core';
import type { FieldsOf, Form } from '../form/form.js';
import { Formset, type FormConstructor, type FormsetInit, type FormsetOptions, type FormOf } from './formset.js';

/** What `formset()` returns: a Formset class of this form, to instantiate, bind or subclass. */
export interface FormsetClass<T extends Form> {
  new (init?: FormsetInit<T>): Formset<T>;
  readonly prototype: Formset<T>;
  readonly formClass: FormConstructor<Form>;
  readonly formsetOptions: FormsetOptions;
  /** See Formset.bind: bound to the request's body (unbound for GET). */
  bind<S extends Formset>(this: new (init?: FormsetInit<FormOf<S>>) => S, request: HttpRequest, init?: Omit<FormsetInit<FormOf<S>>, 'data' | 'files' | 'request'>): Promise<S>;
}

/**
 * Declare a formset class: several forms of `formClass` on one page.
 * @example
 * const IngredientFormset = formset(IngredientForm, { extra: 3, min: 1, max: 50, canDelete: true, canOrder: true });
 * const ingredients = await IngredientFormset.bind(request, { initial: recipe.ingredients });
 */
export function formset<T extends Form>(formClass: FormConstructor<T> & { readonly declaredFields: FieldsOf<T> | object }, options: FormsetOptions = {}): FormsetClass<T> {
  const declared = class extends Formset<T> {
    static override formClass = formClass as unknown as FormConstructor<Form>;
    static override formsetOptions = options;
  };
  Object.defineProperty(declared, 'name', { value: `${formClass.name || 'Form'}Formset` });
  return declared;
}
