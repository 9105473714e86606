import { PermissionDenied, type HttpRequest, type HttpResponse } from '@atrium/core';
import type { AdminSite } from '../admin-site.js';
import { LogEntry, describeAction } from '../log-entry.js';
import type { ModelAdmin } from '../model-admin.js';
import { objectOr404, renderAdmin } from './admin-page.js';

type Row = Record<string, unknown>;

/** The change history of one object: who added, changed or deleted it, when, and which fields. */
export async function historyView(site: AdminSite, admin: ModelAdmin, request: HttpRequest, id: string): Promise<HttpResponse> {
  const obj = (await objectOr404(admin, request, id)) as unknown as Row;
  const perms = await admin.permissions(request, obj as never);
  if (!perms.view && !perms.change) throw new PermissionDenied(`You do not have permission to view ${admin.model.meta.verboseNamePlural}.`);
  const pk = obj[admin.model.meta.pk.name];
  const entries = await LogEntry.objects.filter({ contentType: admin.model.meta.label, objectId: String(pk) }).orderBy('-actionTime', '-id').slice(0, 500);
  return renderAdmin(site, request, 'object_history.html', admin, {
    title: `Change history: ${site.strOf(admin.model, obj)}`,
    object_text: site.strOf(admin.model, obj),
    change_url: site.url(request, 'change', admin, pk),
    entries: entries.map((entry) => ({
      time: entry.actionTime instanceof Date ? entry.actionTime.toISOString().replace('T', ' ').slice(0, 19) : String(entry.actionTime),
      user: entry.userId,
      action: describeAction(entry.actionFlag),
      message: entry.changeMessage,
    })),
  });
}
