import { Http404, ImproperlyConfigured, TemplateView, type HttpRequest } from '@atrium/core';
import type { AnyModel } from '@atrium/orm';
import { orderedBy, querySetOf, type QuerySetLike } from '../data/queryset-source.js';
import { InvalidPage } from '../errors.js';
import type { Page } from '../pagination/page.js';
import { Paginator } from '../pagination/paginator.js';
import { modelContextName, modelTemplateName } from './template-names.js';

/**
 * A page listing objects (Django's ListView): `model` or `queryset`,
 * optional `ordering`, and pagination with `paginateBy` — the page comes
 * from the `page` route parameter or `?page=` ('last' allowed); an invalid
 * or empty page is a 404. Renders `<app>/<model>_list.html` with
 * `objectList` (also as `<model>List`), `page`, `paginator` and `isPaginated`.
 * @example
 * path('posts/', ListView.asView({ model: Post, paginateBy: 20, ordering: ['-publishedAt'] }), { name: 'post-list' })
 */
export class ListView extends TemplateView {
  model: AnyModel | null = null;
  queryset: QuerySetLike<unknown> | null = null;
  /** Field names, '-name' for descending (applied with the queryset's orderBy). */
  ordering: string | readonly string[] | null = null;
  paginateBy: number | null = null;
  paginateOrphans = 0;
  /** The query / route parameter holding the page number. */
  pageKwarg = 'page';
  /** An empty list is a page (true) or a 404 (false). */
  allowEmpty = true;
  /** Name of the list in the context besides `objectList` (default `<model>List`). */
  contextObjectName: string | null = null;
  templateNameSuffix = '_list';

  /** The objects to list: `queryset` or the model's, ordered. Override to filter per request. */
  getQueryset(_request: HttpRequest): QuerySetLike<unknown> {
    let qs: QuerySetLike<unknown>;
    if (this.queryset) qs = this.queryset;
    else if (this.model) qs = querySetOf(this.model as never);
    else throw new ImproperlyConfigured(`${this.constructor.name} has neither a model nor a queryset; pass asView({ model: Post }) or override getQueryset().`);
    const ordering = this.ordering === null ? [] : typeof this.ordering === 'string' ? [this.ordering] : [...this.ordering];
    return ordering.length > 0 ? orderedBy(qs, ...ordering) : qs;
  }

  /** The page number the request asks for (route parameter, then query string), default 1. */
  getPageNumber(request: HttpRequest, params: Record<string, unknown>): unknown {
    return params[this.pageKwarg] ?? request.query.get(this.pageKwarg) ?? 1;
  }

  override async getContextData(request: HttpRequest, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const queryset = this.getQueryset(request);
    const model = this.model ?? queryset.model;
    let objects: readonly unknown[];
    let page: Page<unknown> | null = null;
    let paginator: Paginator<unknown> | null = null;
    if (this.paginateBy !== null) {
      paginator = new Paginator(queryset, this.paginateBy, { orphans: this.paginateOrphans, allowEmptyFirstPage: this.allowEmpty });
      try {
        page = await paginator.page(this.getPageNumber(request, params));
      } catch (error) {
        if (error instanceof InvalidPage) throw new Http404(`Invalid page: ${error.message}`);
        throw error;
      }
      objects = page.objects;
    } else {
      objects = await queryset;
      if (objects.length === 0 && !this.allowEmpty) throw new Http404(`The list of ${model.meta.verboseNamePlural} is empty.`);
    }
    const name = this.contextObjectName ?? `${modelContextName(model)}List`;
    return {
      ...(await super.getContextData(request, params)),
      objectList: objects,
      [name]: objects,
      page,
      paginator,
      isPaginated: page !== null && page.hasOtherPages,
    };
  }

  override getTemplateNames(): readonly string[] {
    const model = this.model ?? this.queryset?.model;
    const own = this.templateName === null ? [] : typeof this.templateName === 'string' ? [this.templateName] : [...this.templateName];
    if (!model) return own.length > 0 ? own : super.getTemplateNames();
    return [...own, modelTemplateName(model, this.templateNameSuffix)];
  }
}
