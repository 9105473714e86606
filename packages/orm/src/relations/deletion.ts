import type { Kysely } from 'kysely';
import type { Dialect } from '../fields/field.js';
import type { AnyModel } from '../model/model.js';
import { dialectOf, inTransaction, runQuery } from './db-access.js';
import { DeletionCollector } from './deletion-collector.js';
import { hasDeleteReceivers, loadForSignals, sendPostDelete, sendPreDelete } from './delete-signals.js';
import { chunks, distinctKeys, keyOf } from './instance-keys.js';
import { ensureRelations } from './resolve-relations.js';

/** What a deletion removed: the total and the count per model label (models with no deleted row are left out). */
export interface DeletionResult {
  total: number;
  perModel: Record<string, number>;
}

export interface DeleteOptions {
  /**
   * The loaded instances of the rows to delete (instance.delete(),
   * QuerySet.delete()). When given, their preDelete/postDelete signals are
   * sent here, inside the transaction; when not, only rows reached by a
   * cascade get signals (the caller signals the rows it asked to delete).
   */
  rootInstances?: readonly object[];
}

/**
 * Delete rows of `model` by primary key, applying every onDelete rule of
 * the foreign keys pointing at them, in one atomic() block, the same way on
 * SQLite and PostgreSQL (the ORM enforces the rules; it does not rely on
 * database cascades). PROTECT and RESTRICT refuse with IntegrityError kind
 * 'protect' naming the rows in the way; nothing is deleted then.
 * DO_NOTHING leaves the children: the database's foreign key (deferred) then
 * refuses at commit, as a translated IntegrityError kind 'foreignKey'.
 * preDelete/postDelete receivers run for each row deleted by a cascade.
 * @example
 * const { total, perModel } = await deleteInstances(Author, [1, 2], 'default');
 * // perModel: { 'blog.Author': 2, 'blog.Post': 7, 'blog.Post_tags': 12 }
 */
export async function deleteInstances(
  model: AnyModel,
  pks: readonly unknown[],
  alias: string = model.meta.database,
  options: DeleteOptions = {},
): Promise<DeletionResult> {
  ensureRelations();
  const keys = distinctKeys(pks);
  if (keys.length === 0) return { total: 0, perModel: {} };
  const dialect = dialectOf(alias);
  return inTransaction(alias, model, async (db) => {
    const collector = new DeletionCollector(db, dialect);
    await collector.collect(model, keys);
    collector.checkRestricted();
    return execute(collector, db, dialect, alias, { model, keys: new Set(keys.map(keyOf)), instances: options.rootInstances ?? null });
  });
}

interface Roots {
  readonly model: AnyModel;
  readonly keys: ReadonlySet<string>;
  readonly instances: readonly object[] | null;
}

/** Django's order: pre_delete signals, fast deletes, key updates, deletes (children first), post_delete signals. */
async function execute(collector: DeletionCollector, db: Kysely<any>, dialect: Dialect, alias: string, roots: Roots): Promise<DeletionResult> {
  const perModel: Record<string, number> = {};
  const count = (model: AnyModel, rows: number): void => {
    if (rows > 0) perModel[model.name] = (perModel[model.name] ?? 0) + rows;
  };

  const signalled = new Map<AnyModel, object[]>();
  for (const [model, keys] of collector.data) {
    if (!hasDeleteReceivers(model)) continue;
    const cascaded = model === roots.model ? [...keys].filter(([id]) => !roots.keys.has(id)).map(([, key]) => key) : [...keys.values()];
    const instances = await loadForSignals(model, cascaded, alias);
    if (model === roots.model && roots.instances) instances.unshift(...roots.instances);
    signalled.set(model, instances);
    await sendPreDelete(model, instances, alias);
  }

  for (const { field, keys } of collector.fastDeletes) {
    for (const batch of chunks(keys, dialect)) {
      const query = db.deleteFrom(field.model.meta.table).where(field.column, 'in', batch.map((key) => field.toDb(key as never, dialect)));
      count(field.model, affected(await runQuery(query, field.model)));
    }
  }

  for (const { field, value, parentKeys } of collector.updates) {
    const dbValue = value === null ? null : field.toDb(value as never, dialect);
    for (const batch of chunks(parentKeys, dialect)) {
      const query = db
        .updateTable(field.model.meta.table)
        .set({ [field.column]: dbValue })
        .where(field.column, 'in', batch.map((key) => field.toDb(key as never, dialect)));
      await runQuery(query, field.model);
    }
  }

  for (const model of deletionOrder([...collector.data.keys()])) {
    const pk = model.meta.pk;
    for (const batch of chunks([...collector.data.get(model)!.values()], dialect)) {
      const query = db.deleteFrom(model.meta.table).where(pk.column, 'in', batch.map((key) => pk.toDb(key as never, dialect)));
      count(model, affected(await runQuery(query, model)));
    }
  }

  for (const [model, instances] of signalled) await sendPostDelete(model, instances, alias);

  const total = Object.values(perModel).reduce((sum, n) => sum + n, 0);
  return { total, perModel };
}

/** Rows affected by a DELETE/UPDATE result (Kysely returns bigint counts). */
function affected(result: unknown): number {
  const first = (Array.isArray(result) ? result[0] : result) as { numDeletedRows?: bigint; numUpdatedRows?: bigint } | undefined;
  return Number(first?.numDeletedRows ?? first?.numUpdatedRows ?? 0);
}

/**
 * Children before parents: a model is deleted once no other collected model
 * still to delete has a foreign key to it. Cycles (A -> B -> A) fall back to
 * reverse collection order; SQLite and PostgreSQL check NO ACTION keys at the
 * end of each statement, and self-references are deleted in one statement.
 */
export function deletionOrder(models: readonly AnyModel[]): AnyModel[] {
  const remaining = [...models];
  const order: AnyModel[] = [];
  while (remaining.length > 0) {
    let index = -1;
    for (let i = remaining.length - 1; i >= 0 && index < 0; i--) {
      const candidate = remaining[i]!;
      const referenced = remaining.some((other) => other !== candidate && other.meta.foreignKeys.some((field) => field.target === candidate));
      if (!referenced) index = i;
    }
    if (index < 0) index = remaining.length - 1;
    order.push(remaining[index]!);
    remaining.splice(index, 1);
  }
  return order;
}
