import { sql } from 'kysely';
import { ForeignKey } from '../fields/relation-fields.js';
import { FieldError, OrmUsageError } from '../errors.js';
import { STATE } from '../model/instance-state.js';
import { deleteInstances } from '../relations/deletion.js';
import { ensureRelations } from '../relations/resolve-relations.js';
import { signals } from '../signals.js';
import { and, CompileContext, columnRef, param, type Scope, type Sql } from './compile-context.js';
import { compileExpression } from './compile-expression.js';
import { asBool, compilePks } from './compile-select.js';
import { compileWhere } from './compile-where.js';
import { dialectOf, executorOf, run, runWrite } from './database.js';
import { containsAggregate, isExpression } from './expressions.js';
import { fetchResults } from './fetch.js';
import { attnameOf } from './hydrate.js';
import { JoinSet } from './joins.js';
import { aliasOf, type QueryState } from './query-state.js';
import { unknownName } from './resolve-path.js';

function refuseSlices(state: QueryState, method: string): void {
  if (state.limit !== null || state.offset > 0) {
    throw new OrmUsageError(`${method} cannot be used after slicing (limit/offset/slice); filter by primary key instead: filter({ pk: { in: ids } }).${method}`);
  }
}

/**
 * UPDATE every matching row in one statement, with values or F()
 * expressions over the row's own columns. Sends no signals and does not
 * touch autoNow fields (like Django). Returns the number of rows changed.
 */
export async function updateRows(state: QueryState, values: Readonly<Record<string, unknown>>): Promise<number> {
  refuseSlices(state, 'update()');
  ensureRelations();
  const { model } = state;
  const alias = aliasOf(state);
  const dialect = dialectOf(alias);
  const ctx = new CompileContext(dialect);
  const scope: Scope = { ctx, model, alias: ctx.nextAlias(), joins: new JoinSet(ctx) };
  const set: Record<string, Sql> = {};
  for (const key of Object.keys(values)) {
    const value = values[key];
    if (value === undefined) throw new OrmUsageError(`update(): '${key}' is undefined; pass null to store NULL, or leave the key out.`);
    const field = key === 'pk' ? model.meta.pk : model.meta.fieldMap.get(key);
    if (!field || !field.hasColumn) throw unknownName(model, key, 'update()');
    let sqlValue: Sql;
    if (isExpression(value)) {
      if (containsAggregate(value.node)) throw new OrmUsageError(`update(): '${key}' cannot be set to an aggregate.`);
      sqlValue = compileExpression(scope, value.node, 'update()').sql;
    } else if (value === null) {
      sqlValue = sql`null`;
    } else {
      const stored = field instanceof ForeignKey && key === field.name && typeof value === 'object' && STATE in value ? (value as Record<string, unknown>)[attnameOf(field.target.meta.pk)] : value;
      sqlValue = param(field, stored, dialect);
    }
    set[field.column] = sqlValue;
  }
  if (Object.keys(set).length === 0) return 0;
  if (scope.joins.size > 0) throw new FieldError(`update() can only read columns of ${model.name} itself in F() expressions, not through relations.`);
  const where = state.where.map((condition) => compileWhere(scope, condition, 'filter()'));
  const useSubquery = scope.joins.size > 0 || state.annotations.size > 0;
  const db = executorOf(alias);
  let query = db.updateTable(`${model.meta.table} as ${scope.alias}`).set(set);
  if (useSubquery) {
    query = query.where(asBool(sql`${columnRef(scope.alias, model.meta.pk.column)} in (${compilePks(state, db, dialect)})`));
  } else if (where.length > 0) {
    query = query.where(asBool(and(where)));
  }
  return runWrite(query, model);
}

/**
 * Delete every matching row, applying each relation's onDelete rule (the
 * relations layer does the cascade in one transaction). When preDelete or
 * postDelete receivers are connected the rows are loaded so they receive them.
 */
export async function deleteRows(state: QueryState): Promise<{ total: number; perModel: Record<string, number> }> {
  refuseSlices(state, 'delete()');
  if (state.projection || state.distinct) throw new OrmUsageError('delete() cannot be used after values(), valuesList() or distinct(); filter the rows instead.');
  ensureRelations();
  const { model } = state;
  const alias = aliasOf(state);
  const dialect = dialectOf(alias);
  const withSignals = signals.preDelete.hasReceivers(model) || signals.postDelete.hasReceivers(model);
  if (!withSignals) {
    const pk = model.meta.pk;
    const rows = (await run(compilePks({ ...state, order: [] }, executorOf(alias), dialect), model)) as Array<Record<string, unknown>>;
    const pks = rows.map((row) => pk.fromDb(row[pk.column], dialect));
    if (pks.length === 0) return { total: 0, perModel: {} };
    return deleteInstances(model, pks, alias);
  }
  const instances = (await fetchResults({ ...state, order: [], selectRelated: [], prefetch: [] })) as Array<Record<string, unknown>>;
  if (instances.length === 0) return { total: 0, perModel: {} };
  // The relations layer sends their preDelete/postDelete inside its transaction, with the cascaded rows'.
  const pkName = attnameOf(model.meta.pk);
  const result = await deleteInstances(model, instances.map((instance) => instance[pkName]), alias, { rootInstances: instances });
  return result;
}
