import { sql } from 'kysely';
import type { AnyField, Dialect } from '../fields/field.js';
import { FieldError } from '../errors.js';
import { STATE, stateOf, type InstanceState } from '../model/instance-state.js';
import type { AnyModel } from '../model/model.js';
import { didYouMean } from '../naming.js';
import { instantiate, templateOf, type QueryTemplate } from './compile-cache.js';
import { compilerOf, dialectOf, executorOf, runCompiledWrite } from './database.js';
import { insertRows } from './insert-rows.js';
import { ParamSlot } from './param-slot.js';
import { nowValue, writePlan, type ColumnWrite } from './write-plan.js';

type Row = Record<string, unknown>;

/**
 * Column values for inserting an instance, filling what the instance lacks
 * on the instance itself: autoNow/autoNowAdd times, defaults, NULL for
 * nullable fields. Generated keys left unset are omitted (the database
 * assigns them and RETURNING reads them back).
 */
export function insertValues(model: AnyModel, instance: Row, dialect: Dialect, now: Date): Row {
  const columns = writePlan(model).columns;
  const values: Row = {};
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!;
    let value = instance[column.attname];
    if (column.nowOnInsert) {
      value = nowValue(column.nowOnInsert, now);
      instance[column.attname] = value;
    } else if (value === undefined) {
      if (column.generated) continue;
      value = column.hasDefault ? column.field.getDefault() : null;
      instance[column.attname] = value;
    }
    values[column.column] = value === null || !column.converts ? value : column.field.toDb(value, dialect);
  }
  return values;
}

/** Which generated columns an instance leaves to the database, as a bit set: rows with the same set share an INSERT. */
function omittedGenerated(generated: readonly ColumnWrite[], instance: Row): number {
  let mask = 0;
  for (let i = 0; i < generated.length && i < 30; i++) if (instance[generated[i]!.attname] === undefined) mask |= 1 << i;
  return mask;
}

/**
 * INSERT instances (one statement per batch), reading generated keys back;
 * marks them saved on `alias`. Instances built by bulkCreate() share
 * `sharedState`, which is marked saved once for all of them.
 */
export async function insertInstances(model: AnyModel, instances: readonly Row[], alias: string, batchSize?: number, sharedState?: InstanceState): Promise<void> {
  const dialect = dialectOf(alias);
  const now = new Date();
  const { generated } = writePlan(model);
  const signatures = new Array<number>(instances.length);
  const rows = new Array<Row>(instances.length);
  for (let i = 0; i < instances.length; i++) {
    const instance = instances[i]!;
    signatures[i] = omittedGenerated(generated, instance);
    rows[i] = insertValues(model, instance, dialect, now);
  }
  const returned = await insertRows(model, rows, signatures, alias, dialect, generated.map((column) => column.field), batchSize);
  for (let i = 0; i < instances.length; i++) {
    const instance = instances[i]!;
    const row = returned[i]!;
    for (const column of generated) {
      const raw = row[column.column];
      if (raw !== undefined && raw !== null) instance[column.attname] = column.field.fromDb(raw, dialect);
    }
    if (sharedState && (instance as Record<symbol, unknown>)[STATE] === sharedState) continue;
    const state = stateOf(instance);
    state.adding = false;
    state.db = alias;
  }
  if (sharedState) {
    sharedState.adding = false;
    sharedState.db = alias;
  }
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

// UPDATE ... SET <columns> WHERE pk = ?, compiled once per model, dialect and column set.
const updateTemplates = new WeakMap<AnyModel, Map<string, QueryTemplate>>();
const MAX_UPDATE_SHAPES = 100;

function updateTemplate(model: AnyModel, alias: string, dialect: Dialect, columns: readonly ColumnWrite[], pk: ColumnWrite): QueryTemplate {
  let byShape = updateTemplates.get(model);
  if (!byShape) updateTemplates.set(model, (byShape = new Map()));
  let key: string = dialect;
  for (const column of columns) key += `,${column.index}`;
  let template = byShape.get(key);
  if (!template) {
    const set: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      const slot = new ParamSlot(i);
      slot.bind(column.field, dialect);
      set[column.column] = sql`${slot}`;
    });
    const keySlot = new ParamSlot(columns.length);
    keySlot.bind(pk.field, dialect);
    const compiled = compilerOf(alias).updateTable(model.meta.table).set(set).where(pk.column, '=', sql`${keySlot}`).compile();
    template = templateOf(compiled, columns.length + 1)!;
    if (byShape.size >= MAX_UPDATE_SHAPES) byShape.delete(byShape.keys().next().value!);
    byShape.set(key, template);
  }
  return template;
}

/**
 * UPDATE one instance's row by primary key: every loaded column (deferred
 * ones, never loaded, are left alone) or only `updateFields`. autoNow fields
 * are set to now. Returns the number of rows changed (0: the row is gone).
 */
export async function updateInstance(model: AnyModel, instance: Row, alias: string, updateFields: readonly string[] | null): Promise<number> {
  const dialect = dialectOf(alias);
  const plan = writePlan(model);
  const chosen = updateFields ? new Set(fieldsNamed(model, updateFields, 'save({ updateFields })')) : null;
  const now = new Date();
  const written: ColumnWrite[] = [];
  const values: unknown[] = [];
  const pk = plan.pk;
  for (const column of plan.columns) {
    if (column.isPk) continue;
    if (column.nowOnUpdate) instance[column.attname] = nowValue(column.nowOnUpdate, now);
    if (chosen ? !chosen.has(column.field) : !Object.prototype.hasOwnProperty.call(instance, column.attname)) continue;
    const value = instance[column.attname];
    if (value === undefined) continue;
    written.push(column);
    values.push(value);
  }
  const key = instance[pk.attname];
  if (written.length === 0) {
    // Nothing to write: still report whether the row exists.
    const found = await executorOf(alias).selectFrom(model.meta.table).select(pk.column).where(pk.column, '=', pk.field.toDb(key, dialect)).execute();
    return found.length;
  }
  values.push(key);
  return runCompiledWrite(instantiate(updateTemplate(model, alias, dialect, written, pk), values), alias, model, true);
}


