import { redirect, type HttpRequest, type HttpResponse } from '@atrium/core';
import type { AnyModel, QuerySet } from '@atrium/orm';
import type { ModelForm } from '@atrium/forms';
import type { AdminSite } from '../admin-site.js';
import { buildChangelist } from '../changelist.js';
import type { RowCount } from '../changelist-count.js';
import { cellText } from '../cell-text.js';
import type { ModelAdmin } from '../model-admin.js';
import type { SafeHtml } from '@atrium/templates';
import { CHANGE, logAction } from '../log-entry.js';
import { LIST_SAVE_FIELD, rowForms, saveListEditable } from '../list-editable.js';
import { userOf } from '../user-of.js';
import { runAction, validKeys } from './actions.js';
import { changeMessage } from './change-form-view.js';
import { renderAdmin } from './admin-page.js';

type Row = Record<string, unknown>;
type RowForm = ModelForm<AnyModel, never>;

/** A count as the page says it: "120", "about 120000" (an estimate), "more than 100000" (counting stopped). */
function countLabel(value: number, kind: RowCount['kind']): string {
  return kind === 'estimate' ? `about ${value}` : kind === 'atLeast' ? `more than ${value}` : String(value);
}

/**
 * The list of a model's objects: search, filters, sortable columns, pages,
 * the action bar (POST runs an action) and, with listEditable, inputs in
 * the rows (POST with `_save` saves them, or shows each row's errors).
 */
export async function changelistView(site: AdminSite, admin: ModelAdmin, request: HttpRequest): Promise<HttpResponse> {
  const perms = await admin.permissions(request);
  await site.require(request, admin, 'view');
  const list = await buildChangelist(admin, request, site.strOf);
  const here = `${site.url(request, 'changelist', admin)}${request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''}`;
  let editForms: Map<string, RowForm> | null = null;
  let editErrors = false;
  if (request.method === 'POST' && admin.listEditable.length > 0 && (await request.form()).fields.has(LIST_SAVE_FIELD)) {
    await site.require(request, admin, 'change');
    const result = await saveListEditable(admin, request, list.queryset as unknown as QuerySet<AnyModel>, (raw) => validKeys(admin, raw));
    if (result.saved) {
      for (const { obj, fields } of result.changed) {
        await logAction({ userId: userOf(request).pk, model: admin.model, objectId: obj[admin.model.meta.pk.name], repr: site.strOf(admin.model, obj), flag: CHANGE, message: changeMessage(admin, fields) });
      }
      const n = result.changed.length;
      (request.state as { messages?: { success(t: string): unknown } }).messages?.success(`${n} ${n === 1 ? admin.model.meta.verboseName + ' was' : admin.model.meta.verboseNamePlural + ' were'} changed successfully.`);
      return redirect(here);
    }
    editForms = result.forms;
    editErrors = true;
  } else if (request.method === 'POST') {
    const response = await runAction(site, admin, request, list.queryset as unknown as QuerySet<AnyModel>);
    if (response) return response;
    return redirect(here);
  }
  const pk = admin.model.meta.pk.name;
  const columns = list.columns.length > 0 ? list.columns.map((c) => c.name) : ['__str__'];
  const links = new Set(admin.options.listDisplayLinks ?? [columns[0]!]);
  const editable = new Set(perms.change ? admin.listEditable : []);
  // Rows of an invalid POST keep their bound forms (and errors); the others start from their objects.
  const forms = editable.size > 0 ? new Map([...rowForms(admin, list.objects), ...(editForms ?? [])]) : new Map<string, RowForm>();
  for (const form of forms.values()) await form.prepare();
  const rows = list.objects.map((obj: Row) => {
    const form = forms.get(String(obj[pk]));
    return {
      pk: String(obj[pk]),
      url: site.url(request, 'change', admin, obj[pk]),
      prefix: form?.prefix ?? null,
      errors: form && form.isBound ? form.nonFieldErrors().map((e) => e.message) : [],
      cells:
        list.columns.length > 0
          ? list.columns.map((column) => {
              const field = form && editable.has(column.name) ? form.fields[column.name as never] as unknown as { widget: SafeHtml; errors: string[] } : null;
              if (field) return { text: '', link: false, boolean: null, input: field.widget, errors: form!.isBound ? field.errors : [] };
              const value = column.value(obj);
              const isObject = typeof value === 'object' && value !== null && !(value instanceof Date) && !Array.isArray(value) && column.field?.isRelation;
              return { text: isObject ? site.strOf((column.field as unknown as { target: AnyModel }).target, value as Row) : cellText(value, column.field), link: links.has(column.name), boolean: typeof value === 'boolean' ? value : null, input: null, errors: [] };
            })
          : [{ text: admin.str(obj as never), link: true, boolean: null, input: null, errors: [] }],
    };
  });
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
    result_count_label: countLabel(list.resultCount, list.countKind),
    full_count: list.fullCount,
    full_count_label: list.fullCount === null ? null : countLabel(list.fullCount, list.fullCountKind ?? 'exact'),
    filtered: list.narrowed,
    page: list.page,
    page_count: list.pageCount,
    page_links: list.pageLinks,
    date_hierarchy: list.dateHierarchy,
    list_editable: forms.size > 0,
    edit_errors: editErrors,
    actions,
    add_url: perms.add ? site.url(request, 'add', admin) : null,
  });
}
