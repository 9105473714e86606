import { ensureRelations, type AnyModel } from '@atrium/orm';

type Row = Record<string, unknown>;

/** One object the deletion would remove (or that blocks it). */
export interface DeletedObject {
  readonly model: AnyModel;
  readonly obj: Row;
  /** How deep in the cascade: 0 for the objects asked for. */
  readonly depth: number;
}

/** What deleting some objects would do. */
export interface DeletionPlan {
  /** Objects removed, the roots first, then what cascades from them. */
  readonly deleted: readonly DeletedObject[];
  /** Objects whose PROTECT/RESTRICT foreign key refuses the deletion. */
  readonly protected: readonly DeletedObject[];
  /** Count per model verbose name plural. */
  readonly summary: ReadonlyArray<{ name: string; count: number }>;
  /** True when the walk stopped at the limit: the lists are partial. */
  readonly truncated: boolean;
}

/** Stop listing past this many objects: the page stays small; the deletion itself is the ORM's. */
const LIMIT = 1000;

type ForeignKeyLike = { kind: string; name: string; onDelete: string };

/**
 * Walk the foreign keys pointing at `roots` (CASCADE follows, PROTECT and
 * RESTRICT refuse, SET_NULL / SET_DEFAULT / DO_NOTHING leave the rows), to
 * show on the confirmation page what a deletion will remove. The deletion
 * itself is `deleteInstances()`, which applies the same rules.
 */
export async function planDeletion(model: AnyModel, roots: readonly Row[]): Promise<DeletionPlan> {
  ensureRelations();
  const deleted: DeletedObject[] = roots.map((obj) => ({ model, obj, depth: 0 }));
  const protectedObjects: DeletedObject[] = [];
  const seen = new Set(roots.map((obj) => `${model.meta.label}:${String(obj[model.meta.pk.name])}`));
  let truncated = false;
  let frontier: Array<{ model: AnyModel; keys: unknown[]; depth: number }> = [{ model, keys: roots.map((obj) => obj[model.meta.pk.name]), depth: 0 }];
  while (frontier.length > 0 && !truncated) {
    const next: typeof frontier = [];
    for (const level of frontier) {
      if (level.keys.length === 0) continue;
      for (const relation of level.model.meta.reverseRelations) {
        const field = relation.field as unknown as ForeignKeyLike;
        if (field.kind === 'manyToMany' || relation.model.meta.autoCreatedFor) continue;
        const rule = field.onDelete;
        if (rule !== 'CASCADE' && rule !== 'PROTECT' && rule !== 'RESTRICT') continue;
        const manager = relation.model.objects as unknown as { filter(w: unknown): { slice(a: number, b: number): PromiseLike<Row[]> } };
        const rows = await manager.filter({ [`${field.name}Id`]: { in: level.keys } }).slice(0, LIMIT + 1);
        const pk = relation.model.meta.pk.name;
        const fresh: unknown[] = [];
        for (const row of rows) {
          const id = `${relation.model.meta.label}:${String(row[pk])}`;
          if (seen.has(id)) continue;
          seen.add(id);
          const entry = { model: relation.model, obj: row, depth: level.depth + 1 };
          if (rule === 'CASCADE') {
            deleted.push(entry);
            fresh.push(row[pk]);
          } else protectedObjects.push(entry);
        }
        if (deleted.length + protectedObjects.length > LIMIT) truncated = true;
        if (fresh.length > 0) next.push({ model: relation.model, keys: fresh, depth: level.depth + 1 });
      }
    }
    frontier = next;
  }
  const counts = new Map<string, number>();
  for (const entry of deleted) counts.set(entry.model.meta.verboseNamePlural, (counts.get(entry.model.meta.verboseNamePlural) ?? 0) + 1);
  return { deleted, protected: protectedObjects, summary: [...counts].map(([name, count]) => ({ name, count })), truncated };
}
