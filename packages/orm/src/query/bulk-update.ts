import { sql } from 'kysely';
import type { AnyField, Dialect } from '../fields/field.js';
import { OrmUsageError } from '../errors.js';
import type { AnyModel } from '../model/model.js';
import { instantiate, templateOf, type QueryTemplate } from './compile-cache.js';
import { compilerOf, dialectOf, runCompiledWrite } from './database.js';
import { attnameOf } from './hydrate.js';
import { ParamSlot } from './param-slot.js';
import { fieldsNamed } from './persist.js';

const MAX_PARAMETERS: Record<Dialect, number> = { sqlite: 30_000, postgres: 60_000 };

/** The UPDATE of one batch shape, and how many times it ran. */
interface BatchShape {
  readonly template: QueryTemplate;
  runs: number;
}

// The UPDATE of one batch, compiled once per model, dialect, field list and row count.
const templates = new WeakMap<AnyModel, Map<string, BatchShape>>();
const MAX_SHAPES_PER_MODEL = 600;

/** A parameter slot bound to `field`, typed for a CASE branch: PostgreSQL cannot infer a parameter's type there. */
function typedSlot(index: number, field: AnyField, dialect: Dialect) {
  const slot = new ParamSlot(index);
  slot.bind(field, dialect);
  return dialect === 'postgres' ? sql`cast(${slot} as ${sql.raw(field.dbType('postgres'))})` : sql`${slot}`;
}

/**
 * `UPDATE t SET col = CASE pk WHEN ? THEN ? ... END WHERE pk IN (...)` for
 * `rows` rows, with slots: the keys first (0..rows-1), then each field's
 * values row by row.
 */
function batchShape(model: AnyModel, alias: string, dialect: Dialect, fields: readonly AnyField[], pk: AnyField, rows: number): BatchShape {
  let byShape = templates.get(model);
  if (!byShape) templates.set(model, (byShape = new Map()));
  let key = `${dialect}:${rows}`;
  for (const field of fields) key += `,${field.column}`;
  let shape = byShape.get(key);
  if (!shape) {
    const keys = Array.from({ length: rows }, (_, i) => {
      const slot = new ParamSlot(i);
      slot.bind(pk, dialect);
      return slot;
    });
    const set: Record<string, unknown> = {};
    fields.forEach((field, f) => {
      const branches = keys.map((slot, i) => sql`when ${slot} then ${typedSlot(rows * (f + 1) + i, field, dialect)}`);
      set[field.column] = sql`case ${sql.ref(pk.column)} ${sql.join(branches, sql` `)} end`;
    });
    const compiled = compilerOf(alias).updateTable(model.meta.table).set(set).where(pk.column, 'in', keys.map((slot) => sql`${slot}`)).compile();
    shape = { template: templateOf(compiled, rows * (fields.length + 1))!, runs: 0 };
    if (byShape.size >= MAX_SHAPES_PER_MODEL) byShape.delete(byShape.keys().next().value!);
    byShape.set(key, shape);
  }
  return shape;
}

/**
 * Write `fields` of many saved instances with one UPDATE per batch:
 * `SET col = CASE pk WHEN ? THEN ? ... END WHERE pk IN (...)`, compiled once
 * per shape. Sends no signals (like Django's bulk_update). Returns the number
 * of rows changed. A shape that runs again (a view updating the same number
 * of rows per request) is a named prepared statement on PostgreSQL, so the
 * server plans its CASE once per connection; a one-off batch size is not,
 * so odd sizes never use up the pool's bounded set of names.
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
  const attnames = fields.map(attnameOf);
  let changed = 0;
  for (let start = 0; start < instances.length; start += size) {
    const batch = instances.slice(start, start + size);
    const values: unknown[] = batch.map((instance) => instance[pkName]);
    for (const attname of attnames) for (const instance of batch) values.push(instance[attname]);
    const shape = batchShape(model, alias, dialect, fields, pk, batch.length);
    shape.runs++;
    changed += await runCompiledWrite(instantiate(shape.template, values), alias, model, shape.runs > 1);
  }
  return changed;
}
