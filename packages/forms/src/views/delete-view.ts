import { TemplateView, redirect, type HttpRequest, type HttpResponse } from '@atrium/core';
import type { AnyModel } from '@atrium/orm';
import type { QuerySetLike } from '../data/queryset-source.js';
import { findObject, objectQueryset, viewModel } from './single-object.js';
import { successUrlFor } from './success-url.js';
import { modelContextName, modelTemplateName } from './template-names.js';

/**
 * Delete an object found by the route's `pk` or `slug` (404 when missing):
 * GET shows a confirmation page (`<app>/<model>_confirm_delete.html`, with
 * `object`), POST deletes it (on-delete rules applied by the ORM) and
 * redirects. A GET never deletes.
 * @example path('posts/<int:pk>/delete/', DeleteView.asView({ model: Post, successRoute: 'post-list' }))
 */
export class DeleteView extends TemplateView {
  model: AnyModel | null = null;
  queryset: QuerySetLike<unknown> | null = null;
  pkUrlKwarg = 'pk';
  slugUrlKwarg = 'slug';
  slugField = 'slug';
  contextObjectName: string | null = null;
  templateNameSuffix = '_confirm_delete';
  successUrl: string | null = null;
  successRoute: string | null = null;
  successRouteParams: readonly string[] | null = null;
  object: unknown = null;

  getQueryset(_request: HttpRequest): QuerySetLike<unknown> {
    return objectQueryset(this, this.constructor.name);
  }

  getObject(request: HttpRequest, params: Record<string, unknown>): Promise<unknown> {
    return findObject(this, this.getQueryset(request), params, this.constructor.name);
  }

  override async get(request: HttpRequest, params: Record<string, unknown>): Promise<HttpResponse> {
    this.object = await this.getObject(request, params);
    return super.get(request, params);
  }

  async post(request: HttpRequest, params: Record<string, unknown>): Promise<HttpResponse> {
    const object = (this.object = await this.getObject(request, params));
    // Resolved before deleting: the object's key is gone afterwards.
    const url = successUrlFor(this, request, object, this.constructor.name);
    await (object as { delete(): Promise<void> }).delete();
    return redirect(url);
  }

  override async getContextData(request: HttpRequest, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const name = this.contextObjectName ?? modelContextName(viewModel(this, this.constructor.name));
    return { ...(await super.getContextData(request, params)), object: this.object, [name]: this.object };
  }

  override getTemplateNames(): readonly string[] {
    const own = this.templateName === null ? [] : typeof this.templateName === 'string' ? [this.templateName] : [...this.templateName];
    return [...own, modelTemplateName(viewModel(this, this.constructor.name), this.templateNameSuffix)];
  }
}
