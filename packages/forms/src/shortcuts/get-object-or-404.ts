import { Http404 } from '@atrium/core';
import type { AnyModel } from '@atrium/orm';
import { coercePk, filterBy, querySetOf, type ModelLike, type QuerySetLike } from '../data/queryset-source.js';

/**
 * Primary-key conditions converted to the key's type; null when a value
 * cannot be a key (so `/posts/abc/` is a 404, never a database error).
 */
function checkedWhere(model: AnyModel, where: Readonly<Record<string, unknown>>): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  const pk = model.meta.pk;
  for (const [key, value] of Object.entries(where)) {
    if ((key === 'pk' || key === pk.name) && (typeof value === 'string' || typeof value === 'number')) {
      const converted = coercePk(pk, value);
      if (converted === null) return null;
      out[key] = converted;
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * The one object matching `where`, or Http404 (404 page) when there is
 * none — also when a key in `where` cannot be a key at all. More than one
 * match is a programming error (the model's MultipleObjectsReturned).
 * @example const post = await getObjectOr404(Post, { slug: params.slug });
 * @example const mine = await getObjectOr404(Post.objects.filter({ author: user.id }), { pk: params.id });
 */
export async function getObjectOr404<T>(source: QuerySetLike<T> | ModelLike<T>, where: Readonly<Record<string, unknown>>): Promise<T> {
  const qs = querySetOf(source);
  const model = qs.model;
  const checked = checkedWhere(model, where);
  if (checked === null) throw new Http404(`No ${model.meta.verboseName} matches the given query.`);
  const rows = await filterBy(qs, checked).slice(0, 2);
  if (rows.length === 0) throw new Http404(`No ${model.meta.verboseName} matches the given query.`);
  if (rows.length > 1) throw new model.MultipleObjectsReturned(`getObjectOr404: more than one ${model.meta.modelName} matches ${JSON.stringify(Object.keys(where))}; look up by a unique field.`);
  return rows[0]!;
}

/**
 * The objects matching `where` (everything when omitted), or Http404 when
 * there are none.
 * @example const posts = await getListOr404(Post, { author: authorId });
 */
export async function getListOr404<T>(source: QuerySetLike<T> | ModelLike<T>, where?: Readonly<Record<string, unknown>>): Promise<T[]> {
  const qs = querySetOf(source);
  const checked = where ? checkedWhere(qs.model, where) : {};
  if (checked === null) throw new Http404(`No ${qs.model.meta.verboseNamePlural} match the given query.`);
  const rows = await (where ? filterBy(qs, checked) : qs);
  if (rows.length === 0) throw new Http404(`No ${qs.model.meta.verboseNamePlural} match the given query.`);
  return rows;
}
