import type { AnyField, Dialect } from '../fields/field.js';
import { DateField, DateTimeField } from '../fields/temporal-fields.js';
import { FieldError } from '../errors.js';
import { stateOf } from '../model/instance-state.js';
import type { AnyModel } from '../model/model.js';
import { didYouMean } from '../naming.js';
import { dialectOf, executorOf, runWrite } from './database.js';
import { attnameOf } from './hydrate.js';
import { insertRows } from './insert-rows.js';

type Row = Record<string, unknown>;

function isAutoTime(field: AnyField): field is DateField | DateTimeField {
  return field instanceof DateField || field instanceof DateTimeField;
}

/**
 * Column values for inserting an instance, filling what the instance lacks
 * on the instance itself: autoNow/autoNowAdd times, defaults, NULL for
 * nullable fields. Generated keys left unset are omitted (the database
 * assigns them and RETURNING reads them back).
 */
export function insertValues(model: AnyModel, instance: Row, dialect: Dialect, now: Date): Row {
  const values: Row = {};
  for (const field of model.meta.columnFields) {
    const attname = attnameOf(field);
    let value = instance[attname];
    if (isAutoTime(field) && (field.autoNow || field.autoNowAdd)) {
      value = field instanceof DateTimeField ? now : now.toISOString().slice(0, 10);
      instance[attname] = value;
    } else if (value === undefined) {
      if (field.isGenerated) continue;
      value = field.options.default !== undefined ? field.getDefault() : null;
      instance[attname] = value;
    }
    values[field.column] = value === null ? null : field.toDb(value, dialect);
  }
  return values;
}

/** INSERT instances (one statement per batch), reading generated keys back; marks them saved on `alias`. */
export async function insertInstances(model: AnyModel, instances: readonly Row[], alias: string, batchSize?: number): Promise<void> {
  const dialect = dialectOf(alias);
  const now = new Date();
  const rows = instances.map((instance) => insertValues(model, instance, dialect, now));
  const generated = model.meta.columnFields.filter((field) => field.isGenerated);
  const returned = await insertRows(model, rows, alias, dialect, generated, batchSize);
  instances.forEach((instance, index) => {
    const row = returned[index]!;
    for (const field of generated) {
      const raw = row[field.column];
      if (raw !== undefined && raw !== null) instance[attnameOf(field)] = field.fromDb(raw, dialect);
    }
    const state = stateOf(instance);
    state.adding = false;
    state.db = alias;
  });
}

/** Resolve `updateFields` names (field names or `<fk>Id`) to column fields. */
export function fieldsNamed(model: AnyModel, names: readonly string[], method: string): AnyField[] {
  return names.map((name) => {
    const field = model.meta.fieldMap.get(name);
    if (!field || !field.hasColumn) {
      const candidates = model.meta.columnFields.map((f) => f.name);
      throw new FieldError(`${method}: '${name}' is not a field of ${model.name}${didYouMean(name, candidates) || '.'} Fields: ${candidates.join(', ')}.`);
    }
    return field;
  });
}

/**
 * UPDATE one instance's row by primary key: every loaded column (deferred
 * ones, never loaded, are left alone) or only `updateFields`. autoNow fields
 * are set to now. Returns the number of rows changed (0: the row is gone).
 */
export async function updateInstance(model: AnyModel, instance: Row, alias: string, updateFields: readonly string[] | null): Promise<number> {
  const dialect = dialectOf(alias);
  const pk = model.meta.pk;
  const chosen = updateFields ? new Set(fieldsNamed(model, updateFields, 'save({ updateFields })')) : null;
  const now = new Date();
  const values: Row = {};
  for (const field of model.meta.columnFields) {
    if (field === pk) continue;
    const attname = attnameOf(field);
    if (isAutoTime(field) && field.autoNow) instance[attname] = field instanceof DateTimeField ? now : now.toISOString().slice(0, 10);
    if (chosen ? !chosen.has(field) : !Object.prototype.hasOwnProperty.call(instance, attname)) continue;
    const value = instance[attname];
    if (value === undefined) continue;
    values[field.column] = value === null ? null : field.toDb(value, dialect);
  }
  const key = instance[attnameOf(pk)];
  const db = executorOf(alias);
  if (Object.keys(values).length === 0) {
    // Nothing to write: still report whether the row exists.
    const found = await db.selectFrom(model.meta.table).select(pk.column).where(pk.column, '=', pk.toDb(key, dialect)).execute();
    return found.length;
  }
  return runWrite(db.updateTable(model.meta.table).set(values).where(pk.column, '=', pk.toDb(key, dialect)), model);
}
