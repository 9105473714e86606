import type { Kysely } from 'kysely';
import type { Dialect } from '../fields/field.js';
import type { AnyModel } from '../model/model.js';
import { connection } from '../db/connections.js';
import { translateDbError } from '../db/errors.js';
import { atomic, executor } from '../db/transaction.js';

/** 'sqlite' or 'postgres' for a database alias. */
export function dialectOf(alias: string): Dialect {
  return connection(alias).dialect;
}

/** The Kysely to run a query on now (the open transaction inside atomic()). */
export function executorOf(alias: string): Kysely<any> {
  return executor(alias);
}

/** Run a Kysely builder, translating driver errors. */
export async function runQuery(query: { execute(): Promise<unknown> }, model?: AnyModel): Promise<unknown> {
  try {
    return await query.execute();
  } catch (error) {
    throw translateDbError(error, model);
  }
}

/** Run `fn` in atomic() on `alias`, with driver errors translated for `model`. */
export async function inTransaction<T>(alias: string, model: AnyModel, fn: (db: Kysely<any>) => Promise<T>): Promise<T> {
  try {
    return await atomic(() => fn(executor(alias)), { using: alias });
  } catch (error) {
    throw translateDbError(error, model);
  }
}
