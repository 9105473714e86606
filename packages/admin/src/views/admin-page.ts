import { Http404, type HttpRequest, type HttpResponse } from '@atrium/core';
import { csrfInput } from '@atrium/forms';
import { render, type RenderInit } from '@atrium/templates';
import type { AnyModel, Instance } from '@atrium/orm';
import type { AdminSite } from '../admin-site.js';
import type { ModelAdmin } from '../model-admin.js';
import { userOf } from '../user-of.js';

/**
 * Template names from most to least specific, so a project overrides one
 * model's page, one app's, or every page.
 * @example templateNames('change_form.html', admin) // ['admin/blog/post/change_form.html', 'admin/blog/change_form.html', 'admin/change_form.html']
 */
export function templateNames(name: string, admin?: ModelAdmin): string[] {
  return admin ? [`admin/${admin.appLabel}/${admin.urlName}/${name}`, `admin/${admin.appLabel}/${name}`, `admin/${name}`] : [`admin/${name}`];
}

/** Render an admin page with what every page shows (site header, user, CSRF input, messages). */
export function renderAdmin(site: AdminSite, request: HttpRequest, name: string, admin: ModelAdmin | undefined, context: Record<string, unknown>, init?: RenderInit): Promise<HttpResponse> {
  const messages = (request.state as { messages?: Iterable<{ level: string; text: string }> }).messages;
  return render(
    request,
    templateNames(name, admin),
    {
      site_title: site.siteTitle(request.app),
      site_header: site.siteHeader(request.app),
      index_url: site.url(request, 'index'),
      search_url: site.url(request, 'search'),
      logout_url: site.url(request, 'logout'),
      admin_user: userOf(request).getUsername(),
      csrf_input: csrfInput(request),
      // Iterating marks the messages shown, so they are not stored for the next request.
      admin_messages: messages ? [...messages].map((m) => ({ level: m.level, text: m.text })) : [],
      opts: admin ? { app: admin.appLabel, model: admin.urlName, verbose_name: admin.model.meta.verboseName, verbose_name_plural: admin.model.meta.verboseNamePlural, changelist_url: site.url(request, 'changelist', admin) } : null,
      ...context,
    },
    init,
  );
}

/** A key from a URL or a form as the model's primary key type, or null when it cannot be one. */
export function keyOf(model: AnyModel, id: string): unknown {
  const pk = model.meta.pk;
  if (pk.kind === 'autoField' || pk.kind === 'integer' || pk.kind === 'bigint') return /^\d{1,15}$/.test(id) ? Number(id) : null;
  if (pk.kind === 'uuid') return /^[0-9a-f-]{32,36}$/i.test(id) ? id : null;
  return id.length > 0 && id.length <= 255 ? id : null;
}

/** The object with the key in the URL among those the admin shows this request, or 404 (also for a key that cannot be one). */
export async function objectOr404(admin: ModelAdmin, request: HttpRequest, id: string): Promise<Instance<AnyModel>> {
  const pk = admin.model.meta.pk;
  const key = keyOf(admin.model, id);
  if (key === null) throw new Http404(`No ${admin.model.meta.verboseName} with key '${id}'.`);
  const rows = (await admin.getQueryset(request).filter({ [pk.name]: key } as never).slice(0, 1)) as unknown as Array<Instance<AnyModel>>;
  if (!rows[0]) throw new Http404(`No ${admin.model.meta.verboseName} with key '${id}'.`);
  return rows[0];
}
