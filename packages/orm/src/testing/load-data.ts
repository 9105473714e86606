import { sql } from 'kysely';
import { ImproperlyConfigured } from '@atrium/core';
import type { AnyField } from '../fields/field.js';
import type { AnyModel } from '../model/model.js';
import { allModels } from '../model/model-registry.js';
import { FieldError } from '../errors.js';
import { didYouMean } from '../naming.js';
import { connection } from '../db/connections.js';
import { atomic, executor } from '../db/transaction.js';
import { translateDbError } from '../db/errors.js';
import { manyToManyLink } from '../relations/many-to-many.js';
import { dependencyOrder } from '../schema/create-tables.js';
import { fromFixtureValue, type FixtureObject, type FixtureValue } from './fixture-values.js';

/**
 * Load a fixture (Django's JSON format, as text or parsed) into `alias`, in
 * one transaction: objects are inserted, or updated when a row with their
 * pk exists; models go in foreign-key dependency order; many-to-many lists
 * replace the current links; PostgreSQL identity sequences are moved past
 * the loaded ids. Returns the number of objects loaded.
 * @example
 * await loadData([{ model: 'blog.author', pk: 1, fields: { name: 'Ann' } }]);
 */
export async function loadData(fixture: string | readonly FixtureObject[], alias = 'default'): Promise<number> {
  const objects = parseFixture(fixture);
  const byModel = new Map<AnyModel, FixtureObject[]>();
  for (const object of objects) {
    const model = modelFor(object.model);
    checkFields(model, object);
    const list = byModel.get(model);
    if (list) list.push(object);
    else byModel.set(model, [object]);
  }
  const ordered = dependencyOrder([...byModel.keys()]);
  await atomic(
    async () => {
      for (const model of ordered) await loadModel(model, byModel.get(model)!, alias);
      for (const model of ordered) await loadManyToMany(model, byModel.get(model)!, alias);
    },
    { using: alias },
  );
  return objects.length;
}

async function loadModel(model: AnyModel, objects: readonly FixtureObject[], alias: string): Promise<void> {
  const { dialect } = connection(alias);
  const { pk, table } = model.meta;
  const run = executor(alias);
  for (const object of objects) {
    const row: Record<string, unknown> = {};
    const hasPk = object.pk !== null && object.pk !== undefined;
    if (hasPk) row[pk.column] = pk.toDb(fromFixtureValue(pk, object.pk) as never, dialect);
    for (const field of model.meta.columnFields) {
      if (field === pk) continue;
      const value = field.name in object.fields ? fromFixtureValue(field, object.fields[field.name]) : missingValue(field);
      row[field.column] = value === null || value === undefined ? null : field.toDb(value as never, dialect);
    }
    if (!hasPk && pk.kind !== 'autoField') {
      const value = missingValue(pk);
      if (value === null || value === undefined) throw new FieldError(`Fixture object of ${model.name} has no pk and ${model.name}.${pk.name} has no default.`);
      row[pk.column] = pk.toDb(value as never, dialect);
    }
    const updates = Object.keys(row).filter((column) => column !== pk.column);
    let query = run.insertInto(table).values(row);
    if (hasPk) {
      query = query.onConflict((oc) => {
        const target = oc.column(pk.column);
        return updates.length === 0 ? target.doNothing() : target.doUpdateSet(Object.fromEntries(updates.map((c) => [c, sql.ref(`excluded.${c}`)])));
      });
    }
    try {
      await query.execute();
    } catch (error) {
      throw translateDbError(error, model);
    }
  }
  if (dialect === 'postgres' && pk.kind === 'autoField') {
    // Explicit ids do not advance an identity sequence; move it past them.
    await sql`select setval(pg_get_serial_sequence(quote_ident(${table}), ${pk.column}), coalesce(max(${sql.ref(pk.column)}), 1), max(${sql.ref(pk.column)}) is not null) from ${sql.table(table)}`.execute(run);
  }
}

async function loadManyToMany(model: AnyModel, objects: readonly FixtureObject[], alias: string): Promise<void> {
  const { dialect } = connection(alias);
  const run = executor(alias);
  for (const field of model.meta.manyToMany) {
    const link = manyToManyLink(field);
    if (!link.autoCreated) continue;
    const { through, sourceField, targetField } = link;
    for (const object of objects) {
      const targets = object.fields[field.name];
      if (targets === undefined || object.pk === null || object.pk === undefined) continue;
      if (!Array.isArray(targets)) throw new FieldError(`Fixture field ${model.name}.${field.name} must be a list of pks, got ${JSON.stringify(targets)}.`);
      const source = sourceField.toDb(fromFixtureValue(sourceField, object.pk) as never, dialect);
      try {
        await run.deleteFrom(through.meta.table).where(sourceField.column, '=', source).execute();
        if (targets.length > 0) {
          await run
            .insertInto(through.meta.table)
            .values(targets.map((target) => ({ [sourceField.column]: source, [targetField.column]: targetField.toDb(fromFixtureValue(targetField, target) as never, dialect) })))
            .execute();
        }
      } catch (error) {
        throw translateDbError(error, through);
      }
    }
    if (dialect === 'postgres') {
      const pkColumn = through.meta.pk.column;
      await sql`select setval(pg_get_serial_sequence(quote_ident(${through.meta.table}), ${pkColumn}), coalesce(max(${sql.ref(pkColumn)}), 1), max(${sql.ref(pkColumn)}) is not null) from ${sql.table(through.meta.table)}`.execute(run);
    }
  }
}

/** Value for a field the fixture leaves out: its default, now() for auto-time fields, else null. */
function missingValue(field: AnyField): unknown {
  const value = field.getDefault();
  if (value !== undefined) return value;
  const auto = field as AnyField & { autoNow?: boolean; autoNowAdd?: boolean; now?: () => unknown };
  if ((auto.autoNow || auto.autoNowAdd) && auto.now) return auto.now();
  return null;
}

function parseFixture(fixture: string | readonly FixtureObject[]): readonly FixtureObject[] {
  let data: unknown = fixture;
  if (typeof fixture === 'string') {
    try {
      data = JSON.parse(fixture);
    } catch (error) {
      throw new ImproperlyConfigured(`Fixture is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!Array.isArray(data)) throw new ImproperlyConfigured('A fixture is a JSON array of { "model", "pk", "fields" } objects.');
  data.forEach((object: unknown, index) => {
    const o = object as Partial<FixtureObject> | null;
    if (!o || typeof o !== 'object' || typeof o.model !== 'string' || (o.fields !== undefined && (typeof o.fields !== 'object' || o.fields === null || Array.isArray(o.fields)))) {
      throw new ImproperlyConfigured(`Fixture object #${index} must be { "model": "app.model", "pk": ..., "fields": {...} }, got ${JSON.stringify(object)?.slice(0, 200)}.`);
    }
  });
  return (data as FixtureObject[]).map((o) => ({ model: o.model, pk: (o.pk ?? null) as FixtureValue, fields: o.fields ?? {} }));
}

function modelFor(label: string): AnyModel {
  const models = allModels();
  const found = models.find((m) => m.meta.label.toLowerCase() === label.toLowerCase());
  if (found) return found;
  throw new ImproperlyConfigured(`Fixture names unknown model '${label}'${didYouMean(label, models.map((m) => m.meta.label.toLowerCase()))}. Import the app's models before loading.`);
}

function checkFields(model: AnyModel, object: FixtureObject): void {
  const names = model.meta.fields.filter((f) => !f.isPrimaryKey).map((f) => f.name);
  for (const name of Object.keys(object.fields)) {
    if (!names.includes(name)) throw new FieldError(`Fixture object of ${model.name} has unknown field '${name}'${didYouMean(name, names)}.`);
  }
}
