import type { AnyModel } from '@atrium/orm';
import type { AdminSite } from '../admin-site.js';
import { cellText } from '../cell-text.js';
import type { ModelAdmin } from '../model-admin.js';

type Row = Record<string, unknown>;

/** The text of a field's value on an object, loading a related object by key (no lazy access: strict mode forbids it). */
export async function readonlyText(site: AdminSite, admin: ModelAdmin, obj: Row, name: string): Promise<string> {
  const field = admin.fieldOf(name);
  if (field.kind === 'foreignKey' || field.kind === 'oneToOne') {
    const key = obj[`${name}Id`];
    if (key === null || key === undefined) return '-';
    const target = (field as unknown as { target: AnyModel }).target;
    const rows = (await (target.objects as unknown as { filter(w: unknown): { slice(a: number, b: number): PromiseLike<Row[]> } }).filter({ [target.meta.pk.name]: key }).slice(0, 1)) ?? [];
    return rows[0] ? site.strOf(target, rows[0]) : String(key);
  }
  if (field.kind === 'manyToMany') {
    const related = (await (obj[name] as { all(): PromiseLike<Row[]> }).all()) ?? [];
    return related.map((r) => site.strOf((field as unknown as { target: AnyModel }).target, r)).join(', ') || '-';
  }
  return String(cellText(obj[name], field));
}

