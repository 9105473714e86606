import type { CompiledQuery, Kysely } from 'kysely';
import type { Dialect } from '../fields/field.js';
import { connection, type Connection } from '../db/connections.js';
import { translateDbError } from '../db/errors.js';
import { executor } from '../db/transaction.js';
import type { AnyModel } from '../model/model.js';

/**
 * The query layer's only door to the database: which dialect an alias
 * speaks, the executor to use now (the open transaction inside atomic()),
 * and running a statement with driver errors translated.
 */
export function dialectOf(alias: string): Dialect {
  return connection(alias).dialect;
}

/** The configured database `alias`, for a caller that reads its dialect and then runs on it (one lookup, see runCompiledThen). */
export function databaseOf(alias: string): Connection {
  return connection(alias);
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
 * Run an already compiled SELECT on `database` (databaseOf(alias)) and hand its rows to
 * `then(rows, arg)`: at once when the database answers at once (SQLite
 * outside transactions, see ContextDialect.runNow; `oneRow`: at most one
 * row can match, so SQLite may stop at the first), in the same promise step
 * as the driver's answer on PostgreSQL outside atomic() (see
 * ContextDialect.runPooledRows), else after the executor's promise. Returns
 * what `then` returns, or a promise of it. Driver errors come out translated
 * as run() does; synchronously when the statement fails at once, and
 * `then`'s own errors untranslated.
 */
export function runCompiledThen<A, T>(
  compiled: CompiledQuery,
  database: Connection,
  model: AnyModel,
  reusable: boolean,
  oneRow: boolean,
  then: (rows: unknown[], arg: A) => T | Promise<T>,
  arg: A,
): T | Promise<T> {
  let rows: unknown[];
  try {
    const now = database.runNow?.(compiled, oneRow);
    if (now) rows = now.rows;
    else {
      const pooled = database.runPooledRows?.(compiled, reusable, model, then, arg);
      if (pooled) return pooled;
      return executor(database.alias)
        .executeQuery(compiled)
        .then(
          (result) => then(result.rows, arg),
          (error: unknown) => {
            throw translateDbError(error, model);
          },
        );
    }
  } catch (error) {
    throw translateDbError(error, model);
  }
  return then(rows, arg);
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
