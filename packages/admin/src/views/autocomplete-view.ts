import { json, PermissionDenied, type HttpRequest, type HttpResponse } from '@atrium/core';
import type { AnyModel, QuerySet } from '@atrium/orm';
import type { AdminSite } from '../admin-site.js';
import type { ModelAdmin } from '../model-admin.js';
import { searchCondition } from '../search.js';

/** Results per page of the autocomplete endpoint. */
export const AUTOCOMPLETE_PAGE_SIZE = 20;
/** The longest search term read; longer input is cut. */
const MAX_TERM = 200;

type Row = Record<string, unknown>;

/** The admin of the model whose field is being filled, and the target model's admin, or 403 naming what is wrong. */
function resolveTarget(site: AdminSite, query: URLSearchParams): { target: ModelAdmin; fieldName: string } {
  const app = query.get('app') ?? '';
  const modelName = query.get('model') ?? '';
  const fieldName = query.get('field') ?? '';
  const source = site.registered.find((admin) => admin.appLabel === app && admin.urlName === modelName);
  if (!source) throw new PermissionDenied(`No model '${app}.${modelName}' is registered on the admin site '${site.name}'.`);
  if (!(source.options.autocompleteFields ?? []).includes(fieldName as never)) {
    throw new PermissionDenied(`'${fieldName}' is not in the autocompleteFields of the ${source.model.meta.label} admin.`);
  }
  const targetModel = (source.fieldOf(fieldName) as unknown as { target: AnyModel }).target;
  // As Django's admin.E039/E040 checks: the target must be registered and searchable.
  if (!site.isRegistered(targetModel)) throw new PermissionDenied(`${targetModel.meta.label} (the target of ${source.model.meta.label}.${fieldName}) must be registered on the admin site '${site.name}' to be autocompleted.`);
  const target = site.adminFor(targetModel) as unknown as ModelAdmin;
  if ((target.options.searchFields ?? []).length === 0) throw new PermissionDenied(`The ${targetModel.meta.label} admin must define searchFields to be autocompleted (by ${source.model.meta.label}.${fieldName}).`);
  return { target, fieldName };
}

/**
 * The JSON search behind autocomplete inputs:
 * `?app=blog&model=post&field=author&term=ann&page=1` gives
 * `{ results: [{ id, text }], pagination: { more } }` from the target
 * model's admin: its getQueryset(), searchFields and ordering, 20 a page.
 * Needs the view permission on the target; a field that is not an
 * autocomplete field, or a target without searchFields, is a 403.
 */
export async function autocompleteView(site: AdminSite, request: HttpRequest): Promise<HttpResponse> {
  const query = new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');
  const { target } = resolveTarget(site, query);
  await site.require(request, target, 'view');
  const term = (query.get('term') ?? '').slice(0, MAX_TERM);
  const rawPage = query.get('page') ?? '1';
  const page = /^\d{1,6}$/.test(rawPage) && Number(rawPage) >= 1 ? Number(rawPage) : 1;
  let qs = target.getQueryset(request) as unknown as QuerySet<AnyModel>;
  if (term.trim()) {
    qs = qs.filter(...(searchCondition(target.options.searchFields as readonly string[], term) as never[]));
    if ((target.options.searchFields ?? []).some((f) => f.includes('.'))) qs = qs.distinct();
  }
  const pk = target.model.meta.pk.name;
  const ordering = (target.options.ordering as readonly string[] | undefined) ?? (target.model.meta.ordering.length > 0 ? target.model.meta.ordering : [pk]);
  const start = (page - 1) * AUTOCOMPLETE_PAGE_SIZE;
  // One row more than a page tells whether there is a next page, without counting.
  const rows = (await qs.orderBy(...(ordering as never[])).slice(start, start + AUTOCOMPLETE_PAGE_SIZE + 1)) as unknown as Row[];
  const results = rows.slice(0, AUTOCOMPLETE_PAGE_SIZE).map((row) => ({ id: String(row[pk]), text: site.strOf(target.model, row) }));
  return json({ results, pagination: { more: rows.length > AUTOCOMPLETE_PAGE_SIZE } });
}
