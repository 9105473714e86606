import { ImproperlyConfigured, redirect, type HttpRequest, type HttpResponse } from '@atrium/core';
import type { AnyModel } from '@atrium/orm';
import type { QuerySetLike } from '../data/queryset-source.js';
import type { Form } from '../form/form.js';
import { ModelForm, modelForm } from '../model-forms/model-form.js';
import { FormView, type FormClassLike } from './form-view.js';
import { findObject, objectQueryset } from './single-object.js';
import { modelContextName, modelTemplateName } from './template-names.js';

const derivedForms = new WeakMap<AnyModel, Map<string, FormClassLike>>();

/** The model form for `fields` of `model`, built once per field list. */
function derivedForm(model: AnyModel, fields: readonly string[]): FormClassLike {
  let byFields = derivedForms.get(model);
  if (!byFields) derivedForms.set(model, (byFields = new Map()));
  const key = fields.join(',');
  let found = byFields.get(key);
  if (!found) {
    found = modelForm(model, { fields: fields as never }) as unknown as FormClassLike;
    byFields.set(key, found);
  }
  return found;
}

/** Base of CreateView and UpdateView: a model form for `model` (or `formClass`), saved on success. */
export class ModelFormView extends FormView {
  model: AnyModel | null = null;
  queryset: QuerySetLike<unknown> | null = null;
  /** The model fields the derived form edits (when no formClass is given). */
  fields: readonly string[] | null = null;
  pkUrlKwarg = 'pk';
  slugUrlKwarg = 'slug';
  slugField = 'slug';
  contextObjectName: string | null = null;
  templateNameSuffix = '_form';
  /** The object edited (null while creating), then the saved one. */
  object: unknown = null;

  /** The model: `model`, the queryset's, or the form class's. */
  getModel(): AnyModel {
    const model = this.model ?? this.queryset?.model ?? (this.formClass as unknown as { model?: AnyModel } | null)?.model;
    if (!model) throw new ImproperlyConfigured(`${this.constructor.name} has no model; pass asView({ model: Post, fields: [...] }) or a modelForm() formClass.`);
    return model;
  }

  override getFormClass(): FormClassLike {
    if (this.formClass) return this.formClass;
    if (!this.fields) {
      throw new ImproperlyConfigured(`${this.constructor.name} needs either formClass or fields (the model fields to edit), e.g. asView({ model: Post, fields: ['title', 'body'] }).`);
    }
    return derivedForm(this.getModel(), this.fields);
  }

  override getFormInit(request: HttpRequest): Record<string, unknown> {
    return { ...super.getFormInit(request), ...(this.object ? { instance: this.object } : {}) };
  }

  /** The queryset objects are looked up in (UpdateView, DeleteView). */
  getQueryset(_request: HttpRequest): QuerySetLike<unknown> {
    return objectQueryset({ ...this, model: this.model ?? this.getModel() }, this.constructor.name);
  }

  /** The object named by the route (Http404 when none). */
  getObject(request: HttpRequest, params: Record<string, unknown>): Promise<unknown> {
    return findObject(this, this.getQueryset(request), params, this.constructor.name);
  }

  /** Save the form, then redirect to the success URL (the saved object's). */
  override async formValid(request: HttpRequest, form: Form): Promise<HttpResponse> {
    if (!(form instanceof ModelForm)) throw new ImproperlyConfigured(`${this.constructor.name} needs a modelForm() formClass to save; use FormView for other forms.`);
    this.object = await form.save();
    return redirect(this.getSuccessUrl(request, this.object));
  }

  override async getContextData(request: HttpRequest, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const context = await super.getContextData(request, params);
    if (this.object === null) return { ...context, object: null };
    return { ...context, object: this.object, [this.contextObjectName ?? modelContextName(this.getModel())]: this.object };
  }

  override getTemplateNames(): readonly string[] {
    const own = this.templateName === null ? [] : typeof this.templateName === 'string' ? [this.templateName] : [...this.templateName];
    return [...own, modelTemplateName(this.getModel(), this.templateNameSuffix)];
  }
}

/**
 * Create an object with a model form: GET shows the empty form, POST saves
 * it and redirects (to successUrl, successRoute or the object's
 * getAbsoluteUrl()), or shows the errors. Renders `<app>/<model>_form.html`.
 * @example path('posts/new/', CreateView.asView({ model: Post, fields: ['title', 'body'], successUrl: '/posts/{id}/' }))
 */
export class CreateView extends ModelFormView {
  override async get(request: HttpRequest, params: Record<string, unknown>): Promise<HttpResponse> {
    this.object = null;
    return super.get(request, params);
  }

  override async post(request: HttpRequest, params: Record<string, unknown>): Promise<HttpResponse> {
    this.object = null;
    return super.post(request, params);
  }
}

/**
 * Edit an object found by the route's `pk` or `slug` (404 when missing)
 * with a model form; POST saves and redirects. Renders `<app>/<model>_form.html`.
 * @example path('posts/<int:pk>/edit/', UpdateView.asView({ model: Post, fields: ['title', 'body'], successRoute: 'post-detail', successRouteParams: ['pk'] }))
 */
export class UpdateView extends ModelFormView {
  override async get(request: HttpRequest, params: Record<string, unknown>): Promise<HttpResponse> {
    this.object = await this.getObject(request, params);
    return super.get(request, params);
  }

  override async post(request: HttpRequest, params: Record<string, unknown>): Promise<HttpResponse> {
    this.object = await this.getObject(request, params);
    return super.post(request, params);
  }
}
