import type { HttpRequest, HttpResponse } from '@atrium/core';
import type { AdminSite } from '../admin-site.js';
import { DELETION, LogEntry, describeAction } from '../log-entry.js';
import { userOf } from '../user-of.js';
import { renderAdmin } from './admin-page.js';

/** How many of the user's own recent actions the home page lists. */
const RECENT_ACTIONS = 10;

/** The user's latest admin actions, linking to objects of models on this site the user may still open. */
async function recentActions(site: AdminSite, request: HttpRequest, visible: ReadonlySet<string>) {
  const entries = await LogEntry.objects.filter({ userId: String(userOf(request).pk) }).orderBy('-actionTime', '-id').slice(0, RECENT_ACTIONS);
  const byLabel = new Map(site.registered.map((admin) => [admin.model.meta.label, admin]));
  return entries.map((entry) => {
    const admin = byLabel.get(entry.contentType);
    const linkable = admin !== undefined && visible.has(entry.contentType) && entry.actionFlag !== DELETION;
    return { text: entry.objectRepr, action: describeAction(entry.actionFlag), model: admin?.model.meta.verboseName ?? entry.contentType, url: linkable ? site.url(request, 'change', admin, entry.objectId) : null };
  });
}

/** The admin's home page: the models the user may see, grouped by app. */
export async function indexView(site: AdminSite, request: HttpRequest): Promise<HttpResponse> {
  const visible = new Set<string>();
  const apps = new Map<string, { label: string; name: string; models: Array<{ name: string; url: string | null; addUrl: string | null }> }>();
  for (const admin of site.registered) {
    const perms = await admin.permissions(request);
    if (!perms.view && !perms.add && !perms.change && !perms.delete) continue;
    if (perms.view || perms.change) visible.add(admin.model.meta.label);
    const label = admin.appLabel;
    const app = apps.get(label) ?? { label, name: request.app.apps.has(label) ? request.app.apps.get(label).verboseName : label, models: [] };
    app.models.push({
      name: admin.model.meta.verboseNamePlural,
      url: perms.view || perms.change ? site.url(request, 'changelist', admin) : null,
      addUrl: perms.add ? site.url(request, 'add', admin) : null,
    });
    apps.set(label, app);
  }
  return renderAdmin(site, request, 'index.html', undefined, { title: 'Site administration', apps: [...apps.values()], recent_actions: await recentActions(site, request, visible) });
}
