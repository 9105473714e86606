import { PermissionDenied, redirect, type HttpRequest, type HttpResponse } from '@atrium/core';
import { IntegrityError, atomic, deleteInstances } from '@atrium/orm';
import type { AdminSite } from '../admin-site.js';
import { planDeletion } from '../deleted-objects.js';
import { DELETION, logAction } from '../log-entry.js';
import type { ModelAdmin } from '../model-admin.js';
import { userOf } from '../user-of.js';
import { objectOr404, renderAdmin } from './admin-page.js';

type Row = Record<string, unknown>;

/** Confirm deleting one object (listing what cascades, or what PROTECT keeps), then delete it on POST. */
export async function deleteView(site: AdminSite, admin: ModelAdmin, request: HttpRequest, id: string): Promise<HttpResponse> {
  const obj = (await objectOr404(admin, request, id)) as unknown as Row;
  if (!(await admin.hasPermission(request, 'delete', obj as never))) throw new PermissionDenied(`You do not have permission to delete ${admin.model.meta.verboseNamePlural}.`);
  const plan = await planDeletion(admin.model, [obj]);
  const text = site.strOf(admin.model, obj);
  const pk = obj[admin.model.meta.pk.name];
  let refusal: string | null = null;
  if (request.method === 'POST' && plan.protected.length === 0) {
    try {
      await atomic(async () => {
        await deleteInstances(admin.model, [pk]);
        await logAction({ userId: userOf(request).pk, model: admin.model, objectId: pk, repr: text, flag: DELETION });
      });
    } catch (error) {
      // A protecting row added since the confirmation page: refuse with the reason instead of a 500.
      if (!(error instanceof IntegrityError)) throw error;
      refusal = error.message;
    }
  }
  if (request.method === 'POST' && plan.protected.length === 0 && refusal === null) {
    (request.state as { messages?: { success(t: string): unknown } }).messages?.success(`The ${admin.model.meta.verboseName} “${text}” was deleted successfully.`);
    return redirect(site.url(request, 'changelist', admin));
  }
  return renderAdmin(
    site,
    request,
    'delete_confirmation.html',
    admin,
    {
      title: plan.protected.length > 0 ? `Cannot delete ${admin.model.meta.verboseName}` : 'Are you sure?',
      object_text: text,
      refusal,
      deleted: plan.deleted.map((entry) => ({ depth: entry.depth, model: entry.model.meta.verboseName, text: site.strOf(entry.model, entry.obj) })),
      protected_objects: plan.protected.map((entry) => ({ model: entry.model.meta.verboseName, text: site.strOf(entry.model, entry.obj) })),
      summary: plan.summary,
      truncated: plan.truncated,
      change_url: site.url(request, 'change', admin, pk),
    },
    // A refused POST (protected objects) is a conflict, shown with the reasons.
    request.method === 'POST' ? { status: 409 } : undefined,
  );
}
