import { redirect, type HttpRequest, type HttpResponse } from '@atrium/core';
import type { AnyModel, QuerySet } from '@atrium/orm';
import type { AdminSite } from '../admin-site.js';
import { buildChangelist } from '../changelist.js';
import { cellText } from '../cell-text.js';
import type { ModelAdmin } from '../model-admin.js';
import { runAction } from './actions.js';
import { renderAdmin } from './admin-page.js';

type Row = Record<string, unknown>;

/** The list of a model's objects: search, filters, sortable columns, pages, and the action bar (POST runs an action). */
export async function changelistView(site: AdminSite, admin: ModelAdmin, request: HttpRequest): Promise<HttpResponse> {
  const perms = await admin.permissions(request);
  await site.require(request, admin, 'view');
  const list = await buildChangelist(admin, request, site.strOf);
  if (request.method === 'POST') {
    const response = await runAction(site, admin, request, list.queryset as unknown as QuerySet<AnyModel>);
    if (response) return response;
    return redirect(`${site.url(request, 'changelist', admin)}${request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''}`);
  }
  const pk = admin.model.meta.pk.name;
  const columns = list.columns.length > 0 ? list.columns.map((c) => c.name) : ['__str__'];
  const links = new Set(admin.options.listDisplayLinks ?? [columns[0]!]);
  const rows = list.objects.map((obj: Row) => ({
    pk: String(obj[pk]),
    url: site.url(request, 'change', admin, obj[pk]),
    cells:
      list.columns.length > 0
        ? list.columns.map((column) => {
            const value = column.value(obj);
            const isObject = typeof value === 'object' && value !== null && !(value instanceof Date) && !Array.isArray(value) && column.field?.isRelation;
            return { text: isObject ? site.strOf((column.field as unknown as { target: AnyModel }).target, value as Row) : cellText(value, column.field), link: links.has(column.name), boolean: typeof value === 'boolean' ? value : null };
          })
        : [{ text: admin.str(obj as never), link: true, boolean: null }],
  }));
  const actions = [];
  if (perms.delete) actions.push({ name: 'delete_selected', label: `Delete selected ${admin.model.meta.verboseNamePlural}` });
  for (const action of admin.actions) if (perms[action.permission ?? 'change']) actions.push({ name: action.name, label: action.label });
  return renderAdmin(site, request, 'change_list.html', admin, {
    title: `Select ${admin.model.meta.verboseName} to ${perms.change ? 'change' : 'view'}`,
    headers: list.columns.length > 0 ? list.headers : [{ name: '__str__', label: admin.model.meta.verboseName, sortable: false, sorted: null, sortQuery: null }],
    rows,
    filters: list.filters,
    search: list.search,
    has_search: (admin.options.searchFields ?? []).length > 0,
    result_count: list.resultCount,
    full_count: list.fullCount,
    filtered: list.narrowed,
    page: list.page,
    page_count: list.pageCount,
    page_links: list.pageLinks,
    actions,
    add_url: perms.add ? site.url(request, 'add', admin) : null,
  });
}
