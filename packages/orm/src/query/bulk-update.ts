import { sql } from 'kysely';
import type { AnyField, Dialect } from '../fields/field.js';
import { OrmUsageError } from '../errors.js';
import type { AnyModel } from '../model/model.js';
import type { Sql } from './compile-context.js';
import { dialectOf, executorOf, runWrite } from './database.js';
import { attnameOf } from './hydrate.js';
import { fieldsNamed } from './persist.js';

const MAX_PARAMETERS: Record<Dialect, number> = { sqlite: 30_000, postgres: 60_000 };

/** A value typed for a CASE branch: PostgreSQL cannot infer a parameter's type there. */
function typedValue(field: AnyField, value: unknown, dialect: Dialect): Sql {
  const bound = value === null || value === undefined ? null : field.toDb(value, dialect);
  return dialect === 'postgres' ? sql`cast(${bound} as ${sql.raw(field.dbType('postgres'))})` : sql`${bound}`;
}

/**
 * Write `fields` of many saved instances with one UPDATE per batch:
 * `SET col = CASE pk WHEN ? THEN ? ... END WHERE pk IN (...)`. Sends no
 * signals (like Django's bulk_update). Returns the number of rows changed.
 */
export async function bulkUpdate(model: AnyModel, instances: ReadonlyArray<Record<string, unknown>>, names: readonly string[], alias: string, batchSize?: number): Promise<number> {
  if (names.length === 0) throw new OrmUsageError(`bulkUpdate() on ${model.name} needs the names of the fields to write.`);
  const fields = fieldsNamed(model, names, 'bulkUpdate()');
  const pk = model.meta.pk;
  if (fields.includes(pk)) throw new OrmUsageError(`bulkUpdate() cannot change the primary key of ${model.name}.`);
  if (instances.length === 0) return 0;
  const pkName = attnameOf(pk);
  for (const instance of instances) {
    if (instance[pkName] === undefined || instance[pkName] === null) throw new OrmUsageError(`bulkUpdate() on ${model.name}: every instance must be saved (have a primary key).`);
  }
  const dialect = dialectOf(alias);
  const perRow = 1 + 2 * fields.length;
  const size = Math.max(1, Math.min(batchSize ?? Infinity, Math.floor(MAX_PARAMETERS[dialect] / perRow)));
  let changed = 0;
  for (let start = 0; start < instances.length; start += size) {
    const batch = instances.slice(start, start + size);
    const keys = batch.map((instance) => pk.toDb(instance[pkName], dialect));
    const set: Record<string, Sql> = {};
    for (const field of fields) {
      const attname = attnameOf(field);
      const branches = batch.map((instance, i) => sql`when ${keys[i]} then ${typedValue(field, instance[attname], dialect)}`);
      set[field.column] = sql`case ${sql.ref(pk.column)} ${sql.join(branches, sql` `)} end`;
    }
    changed += await runWrite(executorOf(alias).updateTable(model.meta.table).set(set).where(pk.column, 'in', keys), model);
  }
  return changed;
}
