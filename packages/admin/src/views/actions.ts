import { PermissionDenied, type HttpRequest, type HttpResponse } from '@atrium/core';
import { IntegrityError, atomic, deleteInstances, type AnyModel, type QuerySet } from '@atrium/orm';
import type { AdminSite } from '../admin-site.js';
import { planDeletion } from '../deleted-objects.js';
import { DELETION, logAction } from '../log-entry.js';
import type { ModelAdmin } from '../model-admin.js';
import { userOf } from '../user-of.js';
import { renderAdmin } from './admin-page.js';

/** Form fields of the action bar (as Django's). */
export const ACTION_FIELD = 'action';
export const SELECTED_FIELD = '_selected_action';
export const SELECT_ACROSS_FIELD = 'select_across';

/** Most objects one action acts on: an action over a huge table must be a management command, not a request. */
const MAX_SELECTED = 10_000;

type Row = Record<string, unknown>;

function flash(request: HttpRequest, level: 'success' | 'warning', text: string): void {
  const messages = (request.state as { messages?: { success(t: string): unknown; warning(t: string): unknown } }).messages;
  messages?.[level](text);
}

/** The selected keys that can be keys of the model (a forged 'abc' for an integer key would be a database error). */
export function validKeys(admin: ModelAdmin, raw: readonly string[]): unknown[] {
  const kind = admin.model.meta.pk.kind;
  if (kind === 'autoField' || kind === 'integer' || kind === 'bigint') return raw.filter((key) => /^\d{1,15}$/.test(key)).map(Number);
  return [...raw];
}

/**
 * Run the action chosen in the changelist on the selected objects (or all
 * the filtered ones with select_across). The delete action first shows a
 * confirmation page listing what cascades; `post=yes` confirms. Returns the
 * response to send, or null to go back to the list.
 */
export async function runAction(site: AdminSite, admin: ModelAdmin, request: HttpRequest, filtered: QuerySet<AnyModel>): Promise<HttpResponse | null> {
  const data = (await request.form()).fields;
  const name = data.get(ACTION_FIELD) ?? '';
  const pk = admin.model.meta.pk.name;
  const across = data.get(SELECT_ACROSS_FIELD) === '1';
  const selected = validKeys(admin, data.getAll(SELECTED_FIELD).slice(0, MAX_SELECTED));
  if (!across && selected.length === 0) {
    flash(request, 'warning', 'Items must be selected in order to perform actions on them. No items have been changed.');
    return null;
  }
  // Only keys among the objects this user may see in this list: a forged key selects nothing.
  const queryset = across ? filtered : filtered.filter({ [pk]: { in: selected } } as never);
  if (name === 'delete_selected') return deleteSelected(site, admin, request, queryset, data.get('post') === 'yes', { across, selected });
  const action = admin.actions.find((a) => a.name === name);
  if (!action) {
    flash(request, 'warning', 'No action selected.');
    return null;
  }
  await site.require(request, admin, action.permission ?? 'change');
  const count = await queryset.count();
  const result = await action.run(request, queryset as never, { count });
  if (typeof result === 'string') flash(request, 'success', result);
  return typeof result === 'object' && result !== null ? result : null;
}

async function deleteSelected(site: AdminSite, admin: ModelAdmin, request: HttpRequest, queryset: QuerySet<AnyModel>, confirmed: boolean, selection: { across: boolean; selected: readonly unknown[] }): Promise<HttpResponse | null> {
  if (!(await admin.hasPermission(request, 'delete'))) throw new PermissionDenied(`You do not have permission to delete ${admin.model.meta.verboseNamePlural}.`);
  const objects = (await queryset.slice(0, MAX_SELECTED)) as unknown as Row[];
  if (objects.length === 0) return null;
  const plan = await planDeletion(admin.model, objects);
  const pk = admin.model.meta.pk.name;
  if (confirmed && plan.protected.length === 0) {
    const user = userOf(request);
    try {
      await atomic(async () => {
        await deleteInstances(admin.model, objects.map((obj) => obj[pk]));
        for (const obj of objects) await logAction({ userId: user.pk, model: admin.model, objectId: obj[pk], repr: site.strOf(admin.model, obj), flag: DELETION });
      });
    } catch (error) {
      // A protecting row added since the confirmation page: nothing was deleted; say why instead of a 500.
      if (!(error instanceof IntegrityError)) throw error;
      (request.state as { messages?: { error(t: string): unknown } }).messages?.error(error.message);
      return null;
    }
    flash(request, 'success', `Successfully deleted ${objects.length} ${objects.length === 1 ? admin.model.meta.verboseName : admin.model.meta.verboseNamePlural}.`);
    return null;
  }
  return renderAdmin(site, request, 'delete_selected_confirmation.html', admin, {
    title: plan.protected.length > 0 ? 'Cannot delete' : 'Are you sure?',
    deleted: plan.deleted.map((entry) => ({ depth: entry.depth, model: entry.model.meta.verboseName, text: site.strOf(entry.model, entry.obj) })),
    protected_objects: plan.protected.map((entry) => ({ model: entry.model.meta.verboseName, text: site.strOf(entry.model, entry.obj) })),
    summary: plan.summary,
    truncated: plan.truncated,
    selected: selection.across ? [] : objects.map((obj) => String(obj[pk])),
    across: selection.across,
    changelist_url: site.url(request, 'changelist', admin),
  });
}
