import type { CompiledQuery, Kysely } from 'kysely';
import type { Dialect } from '../fields/field.js';
import { connection } from '../db/connections.js';
import { translateDbError } from '../db/errors.js';
import { executor } from '../db/transaction.js';
import type { AnyModel } from '../model/model.js';
import { registerSqliteFunctions } from './sqlite-functions.js';

/**
 * The query layer's only door to the database: which dialect an alias
 * speaks, the executor to use now (the open transaction inside atomic()),
 * and running a statement with driver errors translated.
 */
export function dialectOf(alias: string): Dialect {
  const found = connection(alias);
  if (found.sqlite) registerSqliteFunctions(found.sqlite);
  return found.dialect;
}

export function executorOf(alias: string): Kysely<any> {
  return executor(alias);
}

/**
 * A Kysely instance to build and compile queries with (the root one: SQL
 * does not depend on the transaction); run them with runCompiled().
 */
export function compilerOf(alias: string): Kysely<any> {
  return connection(alias).kysely;
}

/**
 * Run an already compiled query on `alias` now; driver errors translated as
 * run() does. `reusable`: its SQL text comes from the compile cache and
 * will run again (PostgreSQL prepares it once per connection under a name).
 */
export async function runCompiled(compiled: CompiledQuery, alias: string, model: AnyModel, reusable = false): Promise<unknown[]> {
  try {
    const found = connection(alias);
    const now = found.runNow?.(compiled);
    if (now) return now.rows;
    const pooled = found.runPooled?.(compiled, reusable);
    if (pooled) return (await pooled).rows;
    return (await executor(alias).executeQuery(compiled)).rows;
  } catch (error) {
    throw translateDbError(error, model);
  }
}

/**
 * runCompiled() without the promise when the database answers at once
 * (SQLite outside transactions, see ContextDialect.runNow): the rows, or a
 * promise of them. `oneRow`: at most one row can match (a primary-key
 * lookup), so SQLite may stop at the first. Throws (translated) synchronously when the statement
 * fails at once; callers that promise a result turn that into a rejection.
 */
export function runCompiledNow(compiled: CompiledQuery, alias: string, model: AnyModel, reusable: boolean, oneRow = false): unknown[] | Promise<unknown[]> {
  try {
    const found = connection(alias);
    const now = found.runNow?.(compiled, oneRow);
    if (now) return now.rows;
    const pending = found.runPooled?.(compiled, reusable) ?? executor(alias).executeQuery(compiled);
    return pending.then(rowsOf, (error: unknown) => {
      throw translateDbError(error, model);
    });
  } catch (error) {
    throw translateDbError(error, model);
  }
}

function rowsOf(result: { readonly rows: unknown[] }): unknown[] {
  return result.rows;
}

/** Run an already compiled write; returns the number of rows it changed. */
export async function runCompiledWrite(compiled: CompiledQuery, alias: string, model: AnyModel, reusable = false): Promise<number> {
  try {
    const found = connection(alias);
    const result = found.runNow?.(compiled) ?? (await (found.runPooled?.(compiled, reusable) ?? executor(alias).executeQuery(compiled)));
    return Number(result.numAffectedRows ?? 0n);
  } catch (error) {
    throw translateDbError(error, model);
  }
}

/** Run a Kysely query; constraint and connection errors become IntegrityError / DatabaseUnavailable. */
export async function run<R>(query: { execute(): Promise<R[]> }, model: AnyModel): Promise<R[]> {
  try {
    return await query.execute();
  } catch (error) {
    throw translateDbError(error, model);
  }
}

/** Run a write and return the number of rows it changed. */
export async function runWrite(query: { executeTakeFirst(): Promise<{ numUpdatedRows?: bigint; numDeletedRows?: bigint } | undefined> }, model: AnyModel): Promise<number> {
  try {
    const result = await query.executeTakeFirst();
    return Number(result?.numUpdatedRows ?? result?.numDeletedRows ?? 0n);
  } catch (error) {
    throw translateDbError(error, model);
  }
}
