import { QueryDict, type HttpRequest } from '@atrium/core';
import { InlineFormset, readRequestData, type ModelForm, type ModelFormInit } from '@atrium/forms';
import { markSafe, type SafeHtml } from '@atrium/templates';
import type { AnyModel, Instance } from '@atrium/orm';
import type { AdminSite } from '../admin-site.js';
import type { InlineAdmin } from '../inline-admin.js';
import type { AdminPermission, ModelAdmin } from '../model-admin.js';
import { readonlyText } from './readonly-text.js';

type Row = Record<string, unknown>;
type Permissions = Record<AdminPermission, boolean>;

/** An inline of the change form for one request: its formset and what the user may do with its rows. */
export interface BoundInline {
  readonly inline: InlineAdmin;
  readonly formset: InlineFormset;
  readonly perms: Permissions;
  /** The row fields, in order; those not in `editable` are shown as text. */
  readonly names: readonly string[];
  readonly editable: readonly string[];
}

const isNew = (model: AnyModel, obj: unknown): boolean => {
  const key = (obj as Row)[model.meta.pk.name];
  return key === undefined || key === null;
};

/**
 * The inline formset class of one request: the child rows from the
 * inline's getQueryset(), no extra rows without the add permission, no
 * delete boxes without the delete permission, and rows the user may not
 * change (existing ones without change, new ones without add) carry no
 * fields at all, so nothing sent for them is ever saved.
 */
function formsetClassFor(inline: InlineAdmin, parentModel: AnyModel, request: HttpRequest, perms: Permissions, editable: readonly string[]): typeof InlineFormset {
  const base = inline.baseFormset(parentModel, editable, {
    ...(perms.add ? {} : { extra: 0 }),
    canDelete: (inline.options.canDelete ?? true) && perms.delete,
  }) as unknown as typeof InlineFormset;
  const child = inline.model as AnyModel;
  const BaseForm = base.formClass as unknown as new (init: ModelFormInit<AnyModel, never>) => ModelForm;
  class RowForm extends BaseForm {
    constructor(init: ModelFormInit<AnyModel, never>) {
      super(init);
      const allowed = isNew(child, this.instance) ? perms.add : perms.change;
      if (!allowed) for (const name of editable) delete (this.declared as Row)[name];
    }
  }
  const fkName = base.fk.name;
  const restricted = class extends (base as unknown as new (init: never) => InlineFormset) {};
  Object.assign(restricted, {
    formClass: RowForm,
    async children(parent: unknown): Promise<unknown[]> {
      if (parent === null || parent === undefined || isNew(parentModel, parent)) return [];
      const key = (parent as Row)[parentModel.meta.pk.name];
      const qs = inline.admin.getQueryset(request).filter({ [`${fkName}Id`]: key } as never);
      return (child.meta.ordering.length > 0 ? qs : qs.orderBy(child.meta.pk.name as never)) as unknown as Promise<unknown[]>;
    },
  });
  return restricted as unknown as typeof InlineFormset;
}

/**
 * The rows of a "Save as new" POST: every sent row becomes a new child of
 * the new object (the keys of the original rows are dropped, so nothing of
 * the original object is changed).
 */
async function asNewRows(cls: typeof InlineFormset, request: HttpRequest, parent: unknown): Promise<InlineFormset> {
  const { prefix } = new (cls as unknown as new (init: { instance: unknown }) => InlineFormset)({ instance: parent });
  const sent = await readRequestData(request);
  const pkName = cls.childModel.meta.pk.name;
  const keyField = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d+-${pkName}$`);
  const data = new QueryDict();
  const entries = sent.data instanceof QueryDict ? [...sent.data.entries()] : [];
  for (const [key, value] of entries) if (!keyField.test(key) && key !== `${prefix}-INITIAL_FORMS`) data.append(key, value);
  data.set(`${prefix}-INITIAL_FORMS`, '0');
  return new (cls as unknown as new (init: Row) => InlineFormset)({ instance: parent, objects: [], data, files: sent.files, request });
}

/**
 * The inlines a user sees on a change form, bound to the POST body or
 * showing the parent's rows. An inline is hidden when the user holds no
 * permission on its model; read-only when they may not save the parent.
 */
export async function bindInlines(admin: ModelAdmin, request: HttpRequest, parent: Instance<AnyModel>, existing: Instance<AnyModel> | null, canSaveParent: boolean, bound: boolean | 'as-new'): Promise<BoundInline[]> {
  const out: BoundInline[] = [];
  for (const inline of admin.options.inlines ?? []) {
    const granted = await inline.admin.permissions(request, existing ?? undefined);
    if (!granted.view && !granted.add && !granted.change && !granted.delete) continue;
    const perms: Permissions = canSaveParent ? granted : { view: true, add: false, change: false, delete: false };
    const names = inline.fieldNames(admin.model as AnyModel);
    const readonly = new Set<string>(inline.options.readonlyFields ?? []);
    const editable = perms.add || perms.change ? names.filter((name) => !readonly.has(name)) : [];
    const cls = formsetClassFor(inline, admin.model as AnyModel, request, perms, editable);
    const formset =
      bound === 'as-new'
        ? await asNewRows(cls, request, parent)
        : bound
          ? await (cls as unknown as { bind(r: HttpRequest, init: { instance: unknown }): Promise<InlineFormset> }).bind(request, { instance: parent })
          : await (cls as unknown as { forInstance(instance: unknown): Promise<InlineFormset> }).forInstance(parent);
    out.push({ inline, formset, perms, names, editable });
  }
  return out;
}

/** Whether every inline formset is valid (all are validated, so each shows its errors). */
export async function inlinesValid(inlines: readonly BoundInline[]): Promise<boolean> {
  const results = await Promise.all(inlines.map((bound) => bound.formset.isValid()));
  return results.every(Boolean);
}

/** The text of each existing row, taken before saving (a deleted row has no key afterwards). */
export function rowTexts(inlines: readonly BoundInline[]): Map<unknown, string> {
  return new Map(inlines.flatMap(({ inline, formset }) => formset.initialForms.map((form) => [form.instance, inline.admin.str(form.instance as never)] as const)));
}

/** The change message parts of the saved inlines: "Added comment “Hi”.", "Changed text for comment “Yo”.", "Deleted comment “Old”.". */
export function inlineChangeMessages(inlines: readonly BoundInline[], before: ReadonlyMap<unknown, string>): string[] {
  const out: string[] = [];
  for (const { inline, formset } of inlines) {
    const name = inline.model.meta.verboseName;
    const text = (obj: unknown): string => before.get(obj) ?? inline.admin.str(obj as never);
    const changedFields = new Map<unknown, string[]>(formset.forms.map((form) => [form.instance, form.changedData.filter((f) => f !== 'DELETE')]));
    for (const obj of formset.newObjects) out.push(`Added ${name} “${text(obj)}”.`);
    for (const obj of formset.changedObjects) {
      const labels = (changedFields.get(obj) ?? []).map((f) => inline.model.meta.fieldMap.get(f)?.verboseName ?? f);
      out.push(`Changed ${labels.join(', ')} for ${name} “${text(obj)}”.`);
    }
    for (const obj of formset.deletedObjects) out.push(`Deleted ${name} “${text(obj)}”.`);
  }
  return out;
}

interface Cell {
  name: string;
  id: string;
  label: string;
  html: SafeHtml | null;
  errors: string[];
  text: string;
}

async function rowContext(site: AdminSite, bound: BoundInline, form: ModelForm, existing: boolean) {
  const fields = form.fields as Record<string, { id: string; widget: SafeHtml; errors: string[]; toHtml(): string }>;
  const cells: Cell[] = [];
  for (const name of bound.names) {
    const field = fields[name];
    const label = bound.inline.model.meta.fieldMap.get(name)?.verboseName ?? name;
    if (field) cells.push({ name, id: field.id, label, html: bound.inline.style === 'tabular' ? field.widget : markSafe(field.toHtml()), errors: field.errors, text: '' });
    else cells.push({ name, id: '', label, html: null, errors: [], text: existing ? await readonlyText(site, bound.inline.admin as unknown as ModelAdmin, form.instance as Row, name) : '-' });
  }
  const hidden = form.hiddenFields();
  const del = fields['DELETE'];
  return {
    original: existing ? bound.inline.admin.str(form.instance as never) : null,
    cells,
    hidden: markSafe(hidden.map((f) => f.toHtml()).join('')),
    delete_html: del ? del.widget : null,
    errors: [...form.nonFieldErrors().map((e) => e.message), ...hidden.flatMap((f) => f.errors)],
    has_errors: form.isBound && !form.errors.isEmpty,
  };
}

/** What the inline templates show: headings, rows (cells, errors, delete box), the empty row template and the management data. */
export async function inlineContext(site: AdminSite, bound: BoundInline) {
  const { formset, inline } = bound;
  await formset.prepare();
  const initial = formset.initialFormCount();
  const rows = [];
  for (const [index, form] of formset.forms.entries()) rows.push(await rowContext(site, bound, form as ModelForm, index < initial));
  const emptyFields = (formset.emptyForm as ModelForm).fields as Record<string, { required: boolean }>;
  return {
    style: inline.style,
    template: `admin/edit_inline/${inline.style}.html`,
    prefix: formset.prefix,
    title: inline.title,
    verbose_name: inline.model.meta.verboseName,
    headers: bound.names.map((name) => ({ name, label: inline.model.meta.fieldMap.get(name)?.verboseName ?? name, required: emptyFields[name]?.required ?? false })),
    rows,
    empty: await rowContext(site, bound, formset.emptyForm as ModelForm, false),
    management: markSafe(formset.managementForm.toHtml()),
    non_form_errors: formset.nonFormErrors().map((e) => e.message),
    can_add: bound.perms.add,
    can_delete: formset.canDelete,
    max_num: formset.max,
  };
}
