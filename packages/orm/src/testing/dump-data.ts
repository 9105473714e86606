import { ImproperlyConfigured } from '@atrium/core';
import type { AnyModel } from '../model/model.js';
import { allModels, getModel, hasModel } from '../model/model-registry.js';
import { connection } from '../db/connections.js';
import { executor } from '../db/transaction.js';
import { translateDbError } from '../db/errors.js';
import { manyToManyLink } from '../relations/many-to-many.js';
import { dependencyOrder } from '../schema/create-tables.js';
import { toFixtureValue, type FixtureObject, type FixtureValue } from './fixture-values.js';

/**
 * Every row of the given models (model objects, 'app' labels or
 * 'app.Model' labels; all models when empty) in Django's fixture format,
 * models in foreign-key dependency order, rows by primary key. Many-to-many
 * fields with an auto-created join table appear as lists of target pks.
 * @example
 * const fixture = await dumpData(['blog']);
 * writeFileSync('blog.json', JSON.stringify(fixture, null, 2));
 */
export async function dumpData(targets: ReadonlyArray<AnyModel | string> = [], alias = 'default'): Promise<FixtureObject[]> {
  const { dialect } = connection(alias);
  const run = executor(alias);
  const out: FixtureObject[] = [];
  for (const model of dependencyOrder(resolveTargets(targets))) {
    const { pk, table } = model.meta;
    let rows: Array<Record<string, unknown>>;
    try {
      rows = await run.selectFrom(table).selectAll().orderBy(pk.column).execute();
    } catch (error) {
      throw translateDbError(error, model);
    }
    const links = await manyToManyValues(model, alias);
    const label = model.meta.label.toLowerCase();
    for (const row of rows) {
      const pkValue = pk.fromDb(row[pk.column], dialect);
      const fields: Record<string, FixtureValue> = {};
      for (const field of model.meta.columnFields) {
        if (field === pk) continue;
        const raw = row[field.column];
        fields[field.name] = raw === null || raw === undefined ? null : toFixtureValue(field, field.fromDb(raw, dialect));
      }
      for (const [name, byPk] of links) fields[name] = byPk.get(String(pkValue)) ?? [];
      out.push({ model: label, pk: toFixtureValue(pk, pkValue), fields });
    }
  }
  return out;
}

/** Per many-to-many field with an auto-created join table: source pk (as text) -> target pks. */
async function manyToManyValues(model: AnyModel, alias: string): Promise<Map<string, Map<string, FixtureValue[]>>> {
  const { dialect } = connection(alias);
  const out = new Map<string, Map<string, FixtureValue[]>>();
  for (const field of model.meta.manyToMany) {
    const link = manyToManyLink(field);
    if (!link.autoCreated) continue; // an explicit through model is dumped as a model of its own
    const { through, sourceField, targetField } = link;
    const rows = await executor(alias)
      .selectFrom(through.meta.table)
      .select([sourceField.column, targetField.column])
      .orderBy(through.meta.pk.column)
      .execute();
    const byPk = new Map<string, FixtureValue[]>();
    for (const row of rows as Array<Record<string, unknown>>) {
      const source = String(sourceField.fromDb(row[sourceField.column], dialect));
      const target = toFixtureValue(targetField, targetField.fromDb(row[targetField.column], dialect));
      const list = byPk.get(source);
      if (list) list.push(target);
      else byPk.set(source, [target]);
    }
    out.set(field.name, byPk);
  }
  return out;
}

function resolveTargets(targets: ReadonlyArray<AnyModel | string>): AnyModel[] {
  const chosen = new Set<AnyModel>();
  const candidates = targets.length === 0 ? allModels() : targets.flatMap((target) => (typeof target === 'string' ? byLabel(target) : [target]));
  for (const model of candidates) if (!model.meta.autoCreatedFor) chosen.add(model);
  return [...chosen];
}

function byLabel(label: string): AnyModel[] {
  if (label.includes('.')) {
    const found = allModels().find((m) => m.meta.label.toLowerCase() === label.toLowerCase());
    return [found ?? getModel(label)];
  }
  const models = allModels(label);
  if (models.length === 0 && !hasModel(label)) {
    const apps = [...new Set(allModels().map((m) => m.meta.appLabel))].join(', ') || '(none)';
    throw new ImproperlyConfigured(`No models are declared for app '${label}'; apps with models: ${apps}.`);
  }
  return models;
}
