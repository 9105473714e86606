import type { HttpRequest } from '@atrium/core';
import { modelForm, type ModelForm, type ModelFormClass } from '@atrium/forms';
import { atomic, type AnyModel, type Instance, type QuerySet } from '@atrium/orm';
import type { ModelAdmin } from './model-admin.js';

/** The button of the changelist's edit form (actions have their own). */
export const LIST_SAVE_FIELD = '_save';
/** How many rows the formset says it holds. */
export const TOTAL_FORMS_FIELD = 'form-TOTAL_FORMS';

type Row = Record<string, unknown>;
type RowForm = ModelForm<AnyModel, never>;

/** The prefix of row `index`'s fields: `form-3-status`. */
export const rowPrefix = (index: number): string => `form-${index}`;

/** The form of one changelist row: the listEditable fields of the model. */
export function listEditableForm(admin: ModelAdmin): ModelFormClass<AnyModel, never> {
  return modelForm(admin.model as AnyModel, { fields: [...admin.listEditable] } as never) as unknown as ModelFormClass<AnyModel, never>;
}

/** Unbound row forms for the objects of a page, keyed by primary key text. */
export function rowForms(admin: ModelAdmin, objects: readonly Row[]): Map<string, RowForm> {
  const Form = listEditableForm(admin);
  const pk = admin.model.meta.pk.name;
  return new Map(objects.map((obj, index) => [String(obj[pk]), new Form({ instance: obj as Instance<AnyModel>, prefix: rowPrefix(index) }) as unknown as RowForm]));
}

/** What saving the changelist's rows gave: how many objects changed, or the bound forms to show again with their errors. */
export type ListEditableResult = { saved: true; changed: Array<{ obj: Row; fields: string[] }> } | { saved: false; forms: Map<string, RowForm> };

/**
 * Bind the posted rows (at most one page: `listPerPage`), each to its
 * object among `visible` (the filtered list the user may see; a forged or
 * vanished key is skipped), validate them all, and save the changed ones in
 * one transaction only when every row is valid.
 */
export async function saveListEditable(admin: ModelAdmin, request: HttpRequest, visible: QuerySet<AnyModel>, keysOf: (raw: readonly string[]) => unknown[]): Promise<ListEditableResult> {
  const data = (await request.form()).fields;
  const total = /^\d{1,6}$/.test(data.get(TOTAL_FORMS_FIELD) ?? '') ? Math.min(Number(data.get(TOTAL_FORMS_FIELD)), admin.listPerPage) : 0;
  const pkName = admin.model.meta.pk.name;
  const posted: Array<{ index: number; key: unknown }> = [];
  for (let index = 0; index < total; index++) {
    const [key] = keysOf([data.get(`${rowPrefix(index)}-pk`) ?? '']);
    if (key !== undefined && key !== '') posted.push({ index, key });
  }
  const objects = posted.length === 0 ? [] : ((await visible.filter({ [pkName]: { in: posted.map((p) => p.key) } } as never)) as unknown as Row[]);
  const byKey = new Map(objects.map((obj) => [String(obj[pkName]), obj]));
  const Form = listEditableForm(admin);
  const forms = new Map<string, RowForm>();
  for (const { index, key } of posted) {
    const obj = byKey.get(String(key));
    if (!obj || forms.has(String(key))) continue;
    forms.set(String(key), (await Form.bind(request, { instance: obj as Instance<AnyModel>, prefix: rowPrefix(index) } as never)) as unknown as RowForm);
  }
  let valid = true;
  for (const form of forms.values()) if (!(await form.isValid())) valid = false;
  if (!valid) return { saved: false, forms };
  const changed: Array<{ obj: Row; fields: string[] }> = [];
  await atomic(async () => {
    for (const form of forms.values()) {
      const fields = form.changedData;
      if (fields.length === 0) continue;
      changed.push({ obj: (await form.save()) as unknown as Row, fields });
    }
  });
  return { saved: true, changed };
}
