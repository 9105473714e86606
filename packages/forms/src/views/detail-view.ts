import { TemplateView, type HttpRequest } from '@atrium/core';
import type { AnyModel } from '@atrium/orm';
import type { QuerySetLike } from '../data/queryset-source.js';
import { findObject, objectQueryset, viewModel } from './single-object.js';
import { modelContextName, modelTemplateName } from './template-names.js';

/**
 * A page showing one object (Django's DetailView), found by the `pk` or
 * `slug` route parameter (404 when missing). Renders
 * `<app>/<model>_detail.html` with `object` (also as `<model>`).
 * @example
 * path('posts/<int:pk>/', DetailView.asView({ model: Post }), { name: 'post-detail' })
 * path('posts/<slug:slug>/', DetailView.asView({ queryset: Post.objects.filter({ status: 'live' }) }))
 */
export class DetailView extends TemplateView {
  model: AnyModel | null = null;
  queryset: QuerySetLike<unknown> | null = null;
  pkUrlKwarg = 'pk';
  slugUrlKwarg = 'slug';
  /** The model field a slug parameter is matched against. */
  slugField = 'slug';
  /** Name of the object in the context besides `object` (default the model name, `post`). */
  contextObjectName: string | null = null;
  templateNameSuffix = '_detail';
  /** The object shown (set by `get`). */
  object: unknown = null;

  /** The queryset the object is looked up in. Override to restrict it per request (only the user's own...). */
  getQueryset(_request: HttpRequest): QuerySetLike<unknown> {
    return objectQueryset(this, this.constructor.name);
  }

  /** The object named by the route (Http404 when none). */
  getObject(request: HttpRequest, params: Record<string, unknown>): Promise<unknown> {
    return findObject(this, this.getQueryset(request), params, this.constructor.name);
  }

  override async getContextData(request: HttpRequest, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    this.object = await this.getObject(request, params);
    const name = this.contextObjectName ?? modelContextName(viewModel(this, this.constructor.name));
    return { ...(await super.getContextData(request, params)), object: this.object, [name]: this.object };
  }

  override getTemplateNames(): readonly string[] {
    const own = this.templateName === null ? [] : typeof this.templateName === 'string' ? [this.templateName] : [...this.templateName];
    return [...own, modelTemplateName(viewModel(this, this.constructor.name), this.templateNameSuffix)];
  }
}
