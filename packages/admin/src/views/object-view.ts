import { Http404, PermissionDenied, type HttpRequest, type HttpResponse } from '@atrium/core';
import type { AdminSite } from '../admin-site.js';
import type { ModelAdmin } from '../model-admin.js';
import { objectOr404 } from './admin-page.js';

/** One of a model admin's objectViews for the object in the URL: 404 for an unknown view or object, 403 without its permission. */
export async function objectView(site: AdminSite, admin: ModelAdmin, request: HttpRequest, id: string, name: string): Promise<HttpResponse> {
  const view = (admin.options.objectViews ?? []).find((candidate) => candidate.name === name);
  if (!view) throw new Http404(`The ${admin.model.meta.verboseName} admin has no page '${name}'.`);
  const obj = await objectOr404(admin, request, id);
  if (!(await admin.hasPermission(request, view.permission, obj))) throw new PermissionDenied(`You do not have permission to ${view.permission} ${admin.model.meta.verboseNamePlural}.`);
  return view.view(site, admin, request, obj);
}

/** Links to the object views the user may open, for the change form. */
export async function objectViewLinks(site: AdminSite, admin: ModelAdmin, request: HttpRequest, obj: Record<string, unknown>): Promise<Array<{ label: string; url: string }>> {
  const links = [];
  for (const view of admin.options.objectViews ?? []) {
    if (await admin.hasPermission(request, view.permission, obj as never)) links.push({ label: view.label, url: site.url(request, 'object_view', admin, obj[admin.model.meta.pk.name], view.name) });
  }
  return links;
}
