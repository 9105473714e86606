import type { Kysely } from 'kysely';
import { IntegrityError, OrmUsageError } from '../errors.js';
import type { Dialect } from '../fields/field.js';
import { ForeignKey } from '../fields/relation-fields.js';
import type { AnyModel } from '../model/model.js';
import { allModels } from '../model/model-registry.js';
import { runQuery } from './db-access.js';
import { chunks, keyOf, pkAttname } from './instance-keys.js';
import { hasDeleteReceivers } from './delete-signals.js';

/** Rows of a model whose key points at keys being deleted. */
interface Referencing {
  readonly field: ForeignKey;
  readonly keys: unknown[];
}

/** `UPDATE <child> SET <fk> = value WHERE <fk> IN (parentKeys)` (SET_NULL / SET_DEFAULT). */
interface FieldUpdate {
  readonly field: ForeignKey;
  readonly value: unknown;
  readonly parentKeys: unknown[];
}

/**
 * Django's deletion Collector: starting from the rows to delete, walk every
 * foreign key pointing at them (batched: one SELECT per relation and level,
 * never one per row) and apply its onDelete rule. CASCADE collects the
 * children, which are deleted first; SET_NULL / SET_DEFAULT become one
 * UPDATE per relation; PROTECT fails at once; RESTRICT fails at the end
 * unless the restricted rows are themselves deleted by a cascade. Children
 * that nothing else depends on (many-to-many join rows, leaf tables) are
 * deleted by key in one statement without being selected ("fast delete").
 */
export class DeletionCollector {
  /** Collected keys per model, in collection order (parents before children). */
  readonly data = new Map<AnyModel, Map<string, unknown>>();
  readonly fastDeletes: Referencing[] = [];
  readonly updates: FieldUpdate[] = [];
  readonly #restricted: Referencing[] = [];
  readonly #incoming = new Map<AnyModel, ForeignKey[]>();
  readonly #db: Kysely<any>;
  readonly #dialect: Dialect;

  constructor(db: Kysely<any>, dialect: Dialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  /** Collect `keys` of `model` and, recursively, everything their deletion affects. */
  async collect(model: AnyModel, keys: readonly unknown[]): Promise<void> {
    let seen = this.data.get(model);
    if (!seen) this.data.set(model, (seen = new Map()));
    const fresh: unknown[] = [];
    for (const key of keys) {
      const id = keyOf(key);
      if (!seen.has(id)) {
        seen.set(id, key);
        fresh.push(key);
      }
    }
    if (fresh.length === 0) return;
    const protectedRows: Referencing[] = [];
    for (const field of this.incoming(model)) {
      switch (field.onDelete) {
        case 'DO_NOTHING':
          continue;
        case 'SET_NULL':
          this.updates.push({ field, value: null, parentKeys: fresh });
          continue;
        case 'SET_DEFAULT':
          this.updates.push({ field, value: defaultOf(field), parentKeys: fresh });
          continue;
        case 'CASCADE':
          if (this.canFastDelete(field.model)) {
            this.fastDeletes.push({ field, keys: fresh });
            continue;
          }
          break;
        case 'PROTECT':
        case 'RESTRICT':
          break;
      }
      const children = await this.referencingKeys(field, fresh);
      if (children.length === 0) continue;
      if (field.onDelete === 'CASCADE') await this.collect(field.model, children);
      else if (field.onDelete === 'PROTECT') protectedRows.push({ field, keys: children });
      else this.#restricted.push({ field, keys: children });
    }
    if (protectedRows.length > 0) throw refused(model, protectedRows, 'PROTECT');
  }

  /**
   * RESTRICT only refuses rows that are not deleted anyway: Django's rule
   * that a song restricted by its album may go when its artist's cascade
   * deletes both. Call once after the top-level collect().
   */
  checkRestricted(): void {
    const remaining: Referencing[] = [];
    for (const { field, keys } of this.#restricted) {
      const deleted = this.data.get(field.model);
      const left = keys.filter((key) => !deleted?.has(keyOf(key)));
      if (left.length > 0) remaining.push({ field, keys: left });
    }
    if (remaining.length > 0) throw refused(remaining[0]!.field.target, remaining, 'RESTRICT');
  }

  /** Foreign keys of every registered model (join models included) that point at `model`. */
  incoming(model: AnyModel): ForeignKey[] {
    let fields = this.#incoming.get(model);
    if (!fields) {
      const found = new Set(allModels().flatMap((candidate) => candidate.meta.foreignKeys.filter((field) => field.target === model)));
      // Historical models (data migrations) are not registered; their reverse relations are on the model itself.
      for (const relation of model.meta.reverseRelations) {
        if (relation.field instanceof ForeignKey) found.add(relation.field);
      }
      fields = [...found];
      this.#incoming.set(model, fields);
    }
    return fields;
  }

  /**
   * Rows of a model can be deleted by foreign key without being selected when
   * nothing points at them (except DO_NOTHING keys), no delete signal
   * listens to them, and none of their keys is RESTRICT (whose check needs
   * to know which rows go).
   */
  canFastDelete(model: AnyModel): boolean {
    if (hasDeleteReceivers(model)) return false;
    if (model.meta.foreignKeys.some((field) => field.onDelete === 'RESTRICT')) return false;
    return this.incoming(model).every((field) => field.onDelete === 'DO_NOTHING');
  }

  /** Primary keys of the rows whose `field` holds one of `parentKeys`. */
  async referencingKeys(field: ForeignKey, parentKeys: readonly unknown[]): Promise<unknown[]> {
    const child = field.model;
    const pk = child.meta.pk;
    const keys: unknown[] = [];
    for (const batch of chunks(parentKeys, this.#dialect)) {
      const query = this.#db
        .selectFrom(child.meta.table)
        .select(pk.column)
        .where(field.column, 'in', batch.map((key) => field.toDb(key as never, this.#dialect)));
      for (const row of (await runQuery(query, child)) as Array<Record<string, unknown>>) keys.push(pk.fromDb(row[pk.column], this.#dialect));
    }
    return keys;
  }
}

function defaultOf(field: ForeignKey): unknown {
  const value = field.getDefault();
  if (value === undefined) {
    throw new OrmUsageError(`${field.model.name}.${field.name} has onDelete 'SET_DEFAULT' but no default; give it a default or use another onDelete.`);
  }
  return value;
}

const LISTED = 10;

/** IntegrityError kind 'protect' naming the rows that block the deletion and the keys they block it through. */
function refused(model: AnyModel, rows: readonly Referencing[], rule: 'PROTECT' | 'RESTRICT'): IntegrityError {
  const through = rows.map(({ field }) => `${field.model.name}.${field.name}`);
  const objects = rows.flatMap(({ field, keys }) => keys.map((key) => `${field.model.name}(${pkAttname(field.model)}=${JSON.stringify(key)})`));
  const listed = objects.slice(0, LISTED).join(', ') + (objects.length > LISTED ? ` and ${objects.length - LISTED} more` : '');
  const why =
    rule === 'PROTECT'
      ? `they are referenced through the protected foreign key${through.length > 1 ? 's' : ''} ${through.join(', ')} (onDelete 'PROTECT')`
      : `they are referenced through the restricted foreign key${through.length > 1 ? 's' : ''} ${through.join(', ')} (onDelete 'RESTRICT') by rows this deletion does not cascade to`;
  return new IntegrityError('protect', `Cannot delete some ${model.name} rows because ${why}: ${listed}. Delete or reassign those rows first.`, {
    fields: [...new Set(rows.map(({ field }) => field.name))],
  });
}
