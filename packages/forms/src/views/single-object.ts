import { ImproperlyConfigured } from '@atrium/core';
import type { AnyModel } from '@atrium/orm';
import { querySetOf, type QuerySetLike } from '../data/queryset-source.js';
import { getObjectOr404 } from '../shortcuts/get-object-or-404.js';

/** What a view that shows or edits one object is configured with. */
export interface SingleObjectConfig {
  readonly model: AnyModel | null;
  readonly queryset: QuerySetLike<unknown> | null;
  readonly pkUrlKwarg: string;
  readonly slugUrlKwarg: string;
  readonly slugField: string;
}

/** The queryset objects are looked up in: `queryset`, else the model's `objects.all()`. */
export function objectQueryset(view: SingleObjectConfig, owner: string): QuerySetLike<unknown> {
  if (view.queryset) return view.queryset;
  if (view.model) return querySetOf(view.model as never);
  throw new ImproperlyConfigured(`${owner} has neither a model nor a queryset; pass asView({ model: Post }) or override getQueryset().`);
}

/**
 * The object named by the route: by primary key (`<int:pk>`, the
 * `pkUrlKwarg` parameter) or by slug (the `slugUrlKwarg` parameter matched
 * against `slugField`); Http404 when there is none.
 */
export async function findObject(view: SingleObjectConfig, queryset: QuerySetLike<unknown>, params: Readonly<Record<string, unknown>>, owner: string): Promise<unknown> {
  const pk = params[view.pkUrlKwarg];
  const slug = params[view.slugUrlKwarg];
  if (pk !== undefined && pk !== null) return getObjectOr404(queryset, { pk });
  if (slug !== undefined && slug !== null) return getObjectOr404(queryset, { [view.slugField]: slug });
  throw new ImproperlyConfigured(
    `${owner} must be called with a '${view.pkUrlKwarg}' or '${view.slugUrlKwarg}' route parameter (e.g. path('posts/<int:${view.pkUrlKwarg}>/', ...)); set pkUrlKwarg/slugUrlKwarg to match your route.`,
  );
}

/** The model of a view: `model`, else the queryset's. */
export function viewModel(view: Pick<SingleObjectConfig, 'model' | 'queryset'>, owner: string): AnyModel {
  const model = view.model ?? view.queryset?.model ?? null;
  if (!model) throw new ImproperlyConfigured(`${owner} has neither a model nor a queryset; pass asView({ model: Post }).`);
  return model;
}
