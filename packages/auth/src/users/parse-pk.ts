import type { AnyModel } from '@atrium/orm';

/**
 * The primary-key value a session stored as a string, converted for `model`,
 * or null when it cannot be one (a tampered or stale session), so nothing
 * odd reaches a query.
 * @example parsePk(User, '42') // 42
 */
export function parsePk(model: AnyModel, id: string): unknown {
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) return null;
  const kind = model.meta.pk.kind;
  if (kind === 'autoField' || kind === 'integer') {
    if (!/^[1-9]\d{0,15}$/.test(id)) return null;
    const n = Number(id);
    return Number.isSafeInteger(n) ? n : null;
  }
  if (kind === 'bigint') return /^-?\d{1,19}$/.test(id) ? BigInt(id) : null;
  if (kind === 'uuid') return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? id.toLowerCase() : null;
  return id;
}
