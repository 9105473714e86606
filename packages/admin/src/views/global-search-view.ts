import type { HttpRequest, HttpResponse } from '@atrium/core';
import type { AnyModel, QuerySet } from '@atrium/orm';
import type { AdminSite } from '../admin-site.js';
import { searchCondition } from '../search.js';
import { renderAdmin } from './admin-page.js';

/** Hits shown per model; the model's changelist has the rest. */
const HITS_PER_MODEL = 5;

type Row = Record<string, unknown>;

/**
 * Search every registered model that has searchFields and that the user may
 * view, with each model's own search rules and getQueryset(); a few hits
 * per model, linking to its changelist for the rest.
 */
export async function globalSearchView(site: AdminSite, request: HttpRequest): Promise<HttpResponse> {
  const term = (request.query.get('q') ?? '').slice(0, 200);
  const groups = [];
  if (term.trim()) {
    for (const admin of site.registered) {
      const fields = admin.options.searchFields ?? [];
      if (fields.length === 0) continue;
      const perms = await admin.permissions(request);
      if (!perms.view && !perms.change) continue;
      let qs = admin.getQueryset(request) as unknown as QuerySet<AnyModel>;
      qs = qs.filter(...(searchCondition(fields, term) as never[]));
      if (fields.some((f) => f.includes('.'))) qs = qs.distinct();
      const pk = admin.model.meta.pk.name;
      const [count, rows] = await Promise.all([qs.count(), qs.orderBy(`-${pk}` as never).slice(0, HITS_PER_MODEL) as unknown as Promise<Row[]>]);
      if (count === 0) continue;
      groups.push({
        name: admin.model.meta.verboseNamePlural,
        count,
        more_url: `${site.url(request, 'changelist', admin)}?${new URLSearchParams({ q: term }).toString()}`,
        hits: rows.map((row) => ({ text: site.strOf(admin.model, row), url: site.url(request, 'change', admin, row[pk]) })),
      });
    }
  }
  return renderAdmin(site, request, 'search.html', undefined, { title: 'Search', search: term, groups });
}
