import { ImproperlyConfigured, TemplateView, redirect, type HttpRequest, type HttpResponse } from '@atrium/core';
import { readRequestData } from '../data/read-request.js';
import type { Form } from '../form/form.js';
import { successUrlFor } from './success-url.js';

/** A form class a view can instantiate (a `form()` or `modelForm()` class). */
export type FormClassLike = new (init?: never) => Form;

/** Methods whose body is bound to the form. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Show a form on GET; on POST validate it, then `formValid()` (redirect to
 * the success URL) or `formInvalid()` (the page again, with the errors).
 * Override `formValid` to act on the data (send the e-mail...).
 * @example
 * class ContactView extends FormView {
 *   override formClass = ContactForm;
 *   override templateName = 'contact.html';
 *   override successUrl = '/thanks/';
 *   override async formValid(request: HttpRequest, form: Form) {
 *     await sendMail(form.cleanedData);
 *     return super.formValid(request, form);
 *   }
 * }
 */
export class FormView extends TemplateView {
  formClass: FormClassLike | null = null;
  /** Initial values of an unbound form. */
  initial: Readonly<Record<string, unknown>> | null = null;
  prefix: string | null = null;
  successUrl: string | null = null;
  successRoute: string | null = null;
  successRouteParams: readonly string[] | null = null;
  /** The form of the current request (set by get/post). */
  form: Form | null = null;

  getFormClass(): FormClassLike {
    if (!this.formClass) throw new ImproperlyConfigured(`${this.constructor.name} has no formClass; pass asView({ formClass: ContactForm }).`);
    return this.formClass;
  }

  /** What the form is constructed with besides the data: initial values, prefix, the request. */
  getFormInit(request: HttpRequest): Record<string, unknown> {
    return { ...(this.initial ? { initial: { ...this.initial } } : {}), ...(this.prefix ? { prefix: this.prefix } : {}), request };
  }

  /** The form: bound to the body for POST/PUT/PATCH, unbound otherwise. */
  async getForm(request: HttpRequest): Promise<Form> {
    const FormClass = this.getFormClass() as unknown as new (init: Record<string, unknown>) => Form;
    const init = this.getFormInit(request);
    if (!BODY_METHODS.has(request.method)) return new FormClass(init);
    const { data, files } = await readRequestData(request);
    return new FormClass({ ...init, data, files });
  }

  override async getContextData(request: HttpRequest, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const form = this.form ?? (this.form = await this.getForm(request));
    await form.prepare();
    return { ...(await super.getContextData(request, params)), form };
  }

  override async get(request: HttpRequest, params: Record<string, unknown>): Promise<HttpResponse> {
    this.form = await this.getForm(request);
    return super.get(request, params);
  }

  async post(request: HttpRequest, params: Record<string, unknown>): Promise<HttpResponse> {
    const form = (this.form = await this.getForm(request));
    return (await form.isValid()) ? this.formValid(request, form) : this.formInvalid(request, form, params);
  }

  put(request: HttpRequest, params: Record<string, unknown>): Promise<HttpResponse> {
    return this.post(request, params);
  }

  /** The data is valid: redirect to the success URL. */
  async formValid(request: HttpRequest, _form: Form): Promise<HttpResponse> {
    return redirect(this.getSuccessUrl(request, null));
  }

  /** The data is not valid: the page again, with the form and its errors. */
  async formInvalid(request: HttpRequest, form: Form, params: Record<string, unknown> = this.params): Promise<HttpResponse> {
    this.form = form;
    return this.renderToResponse(request, await this.getContextData(request, params));
  }

  /** Where to go after success (see SuccessUrlConfig); `object` is the saved object of model form views. */
  getSuccessUrl(request: HttpRequest, object: unknown): string {
    return successUrlFor(this, request, object, this.constructor.name);
  }
}
