import { PermissionDenied, redirect, type QueryDict, type HttpRequest, type HttpResponse } from '@atrium/core';
import { markSafe } from '@atrium/templates';
import type { BoundField, ModelForm } from '@atrium/forms';
import { IntegrityError, atomic, type AnyModel, type Instance } from '@atrium/orm';
import type { AdminSite } from '../admin-site.js';
import { ADDITION, CHANGE, logAction } from '../log-entry.js';
import type { ModelAdmin } from '../model-admin.js';
import { userOf } from '../user-of.js';
import { keyOf, objectOr404, renderAdmin } from './admin-page.js';
import { AutocompleteInput } from '../autocomplete.js';
import { objectViewLinks } from './object-view.js';
import { bindInlines, inlineChangeMessages, inlineContext, inlinesValid, rowTexts, type BoundInline } from './inline-forms.js';
import { readonlyText } from './readonly-text.js';

type Row = Record<string, unknown>;

/** "Changed title and body." from the names of the changed fields. */
export function changeMessage(admin: ModelAdmin, changed: readonly string[]): string {
  if (changed.length === 0) return 'No fields changed.';
  const names = changed.map((name) => admin.model.meta.fieldMap.get(name)?.verboseName ?? name);
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]!}`;
  return `Changed ${list}.`;
}

/**
 * The add page (id null) and the change page: a model form of the editable
 * fields, read-only fields as text (every field for a user who may only
 * view), and the save buttons. POST saves, logs the change and redirects.
 */
export async function changeFormView(site: AdminSite, admin: ModelAdmin, request: HttpRequest, id: string | null): Promise<HttpResponse> {
  const found = id === null ? null : await objectOr404(admin, request, id);
  // "Save as new" on a change page saves the form (and its inline rows) as a new object: from here on, an add.
  const saveAsNew = found !== null && admin.options.saveAs === true && (await postedFields(request))?.has('_saveasnew') === true;
  const obj = saveAsNew ? null : found;
  const perms = await admin.permissions(request, obj ?? undefined);
  if (obj === null && !perms.add) throw new PermissionDenied(`You do not have permission to add ${admin.model.meta.verboseNamePlural}.`);
  if (obj !== null && !perms.view && !perms.change) throw new PermissionDenied(`You do not have permission to view ${admin.model.meta.verboseNamePlural}.`);
  const canSave = obj === null ? perms.add : perms.change;
  if (request.method === 'POST' && !canSave) throw new PermissionDenied(`You do not have permission to change ${admin.model.meta.verboseNamePlural}.`);
  const readonly = admin.readonlyNames(canSave);
  const autocompleteUrl = (field: string): string => `${site.url(request, 'autocomplete')}?${new URLSearchParams({ app: admin.appLabel, model: admin.urlName, field }).toString()}`;
  const FormClass = await admin.getForm(request, obj, readonly, autocompleteUrl);
  let form: ModelForm<AnyModel, never>;
  let inlines: BoundInline[];
  let saveError: string | null = null;
  if (request.method === 'POST') {
    form = (await FormClass.bind(request, obj ? { instance: obj } : {})) as unknown as ModelForm<AnyModel, never>;
    inlines = await bindInlines(admin, request, form.instance, obj, canSave, saveAsNew ? 'as-new' : true);
    // Every form is validated, so each shows its errors.
    const [formValid, rowsValid] = await Promise.all([form.isValid(), inlinesValid(inlines)]);
    if (formValid && rowsValid) {
      const changed = form.changedData;
      const before = rowTexts(inlines);
      let saved: Row;
      try {
        // The object and its inline rows are saved together or not at all.
        saved = await atomic(
          async () => {
            const parent = (await form.save()) as unknown as Row;
            for (const bound of inlines) await bound.formset.save();
            return parent;
          },
          { using: admin.model.meta.database },
        );
      } catch (error) {
        // A constraint the form could not check (a field left off the form, a concurrent write) is shown, not a 500.
        if (!(error instanceof IntegrityError)) throw error;
        saveError = `The ${admin.model.meta.verboseName} could not be saved: ${error.message}`;
        return renderForm(site, admin, request, { obj, form, inlines, readonly, perms, canSave, saveError });
      }
      const pkValue = saved[admin.model.meta.pk.name];
      const text = site.strOf(admin.model, saved);
      const rowMessages = inlineChangeMessages(inlines, before);
      const message = obj ? [...(changed.length > 0 || rowMessages.length === 0 ? [changeMessage(admin, changed)] : []), ...rowMessages].join(' ') : ['Added.', ...rowMessages].join(' ');
      await logAction({ userId: userOf(request).pk, model: admin.model, objectId: pkValue, repr: text, flag: obj ? CHANGE : ADDITION, message });
      const data = (await request.form()).fields;
      const messages = (request.state as { messages?: { success(t: string): unknown } }).messages;
      messages?.success(`The ${admin.model.meta.verboseName} “${text}” was ${obj ? 'changed' : 'added'} successfully.`);
      if (data.has('_continue') || saveAsNew) return redirect(site.url(request, 'change', admin, pkValue));
      if (data.has('_addanother')) return redirect(site.url(request, 'add', admin));
      return redirect(site.url(request, 'changelist', admin));
    }
  } else {
    form = new FormClass(obj ? { instance: obj } : {}) as unknown as ModelForm<AnyModel, never>;
    inlines = await bindInlines(admin, request, form.instance, obj, canSave, false);
  }
  return renderForm(site, admin, request, { obj, form, inlines, readonly, perms, canSave, saveError });
}

/** Give each autocomplete input the text of the objects it holds (one query per field). */
async function labelAutocompletes(site: AdminSite, fields: readonly BoundField[]): Promise<void> {
  for (const bound of fields) {
    const widget = bound.field.widget;
    if (!(widget instanceof AutocompleteInput)) continue;
    const keys = widget.keysOf(bound.value).slice(0, 100);
    const target = (bound.field as unknown as { queryset: { model: AnyModel } }).queryset.model;
    const valid = keys.map((key) => keyOf(target, key)).filter((key) => key !== null);
    if (valid.length === 0) continue;
    const pk = target.meta.pk.name;
    const rows = (await (target.objects as unknown as { filter(w: unknown): PromiseLike<Row[]> }).filter({ [pk]: { in: valid } })) ?? [];
    widget.labels = new Map(rows.map((row) => [String(row[pk]), site.strOf(target, row)]));
  }
}

/** `[{ field: 'id_slug', from: ['id_title'] }]` as JSON for the admin's script (add page only, as in Django). */
function prepopulated(admin: ModelAdmin, form: ModelForm<AnyModel, never>): string | null {
  const fields = form.fields as Record<string, { id: string } | undefined>;
  const out = [];
  for (const [target, sources] of Object.entries(admin.options.prepopulatedFields ?? {}) as Array<[string, readonly string[]]>) {
    const from = sources.map((name) => fields[name]?.id).filter((fieldId): fieldId is string => Boolean(fieldId));
    if (fields[target] && from.length > 0) out.push({ field: fields[target].id, from, maxLength: (admin.fieldOf(target) as { maxLength?: number }).maxLength ?? 50 });
  }
  return out.length > 0 ? JSON.stringify(out) : null;
}

/** The urlencoded or multipart fields of a POST (null for other requests and bodies). */
async function postedFields(request: HttpRequest): Promise<QueryDict | null> {
  if (request.method !== 'POST' || !/^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(request.contentType)) return null;
  return (await request.form()).fields;
}

interface FormPage {
  obj: Instance<AnyModel> | null;
  form: ModelForm<AnyModel, never>;
  inlines: readonly BoundInline[];
  readonly: ReadonlySet<string>;
  perms: Record<'view' | 'add' | 'change' | 'delete', boolean>;
  canSave: boolean;
  saveError: string | null;
}

/** Render the change form page: fieldsets of bound fields and read-only values, related links, buttons. */
async function renderForm(site: AdminSite, admin: ModelAdmin, request: HttpRequest, { obj, form, inlines, readonly, perms, canSave, saveError }: FormPage): Promise<HttpResponse> {
  await form.prepare();
  const bound = new Map(form.fieldList.map((field) => [field.name, field]));
  await labelAutocompletes(site, form.fieldList);
  const fieldsets = [];
  for (const set of admin.fieldsets()) {
    const rows = [];
    for (const name of set.fields) {
      const field = bound.get(name);
      if (field) rows.push({ name, html: markSafe(field.toHtml()), readonly: false, label: field.label, text: '' });
      else if (readonly.has(name)) rows.push({ name, html: null, readonly: true, label: admin.fieldOf(name).verboseName, text: obj ? await readonlyText(site, admin, obj as Row, name) : '-' });
    }
    fieldsets.push({ title: set.title, description: set.description, rows });
  }
  const related = [];
  if (obj) {
    for (const field of admin.model.meta.fields) {
      if (field.kind !== 'foreignKey' && field.kind !== 'oneToOne') continue;
      const target = (field as unknown as { target: AnyModel }).target;
      const key = (obj as Row)[`${field.name}Id`];
      if (key === null || key === undefined || !site.isRegistered(target)) continue;
      const targetAdmin = site.adminFor(target);
      if (!(await targetAdmin.hasPermission(request, 'view')) && !(await targetAdmin.hasPermission(request, 'change'))) continue;
      related.push({ label: field.verboseName, url: site.url(request, 'change', targetAdmin, key) });
    }
  }
  const inlineGroups = [];
  for (const bound of inlines) inlineGroups.push(await inlineContext(site, bound));
  const verb = obj === null ? 'Add' : canSave ? 'Change' : 'View';
  return renderAdmin(site, request, 'change_form.html', admin, {
    title: `${verb} ${admin.model.meta.verboseName}`,
    object_text: obj ? site.strOf(admin.model, obj as Row) : null,
    adding: obj === null,
    can_save: canSave,
    can_add_another: perms.add,
    non_field_errors: [...(form.isBound ? form.nonFieldErrors().map((e) => e.message) : []), ...(saveError ? [saveError] : [])],
    // Only an invalid POST renders a bound form (a valid one redirects).
    has_errors: form.isBound,
    multipart: form.isMultipart || inlines.some((bound) => bound.formset.isMultipart),
    inlines: inlineGroups,
    fieldsets,
    hidden: markSafe(form.hiddenFields().map((f) => f.toHtml()).join('')),
    related,
    save_as: Boolean(admin.options.saveAs) && obj !== null && canSave && perms.add,
    save_on_top: Boolean(admin.options.saveOnTop),
    prepopulated: obj === null && canSave ? prepopulated(admin, form) : null,
    delete_url: obj && perms.delete ? site.url(request, 'delete', admin, (obj as Row)[admin.model.meta.pk.name]) : null,
    history_url: obj ? site.url(request, 'history', admin, (obj as Row)[admin.model.meta.pk.name]) : null,
    object_views: obj ? await objectViewLinks(site, admin, request, obj as Row) : [],
  });
}
