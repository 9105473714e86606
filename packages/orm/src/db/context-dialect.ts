import {
  CompiledQuery,
  type DatabaseConnection as DriverConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type TransactionSettings,
} from 'kysely';
import { OrmUsageError } from '../errors.js';
import { currentFrame, isHeld, noteBegin } from './transaction-context.js';

/**
 * Wrap a Kysely dialect so that, inside `atomic()`, every query on this alias
 * runs on the transaction's connection — even one issued through the root
 * `connection().kysely` instead of `executor()`. Like Django's one connection
 * per thread, code deep in a call stack cannot escape the transaction by
 * accident; and on SQLite (one connection behind a mutex) such a query would
 * otherwise wait for the transaction that waits for it: a deadlock.
 */
export class ContextDialect implements Dialect {
  readonly #inner: Dialect;
  readonly #alias: string;
  readonly #beginSql: string | null;
  /** `beginSql` replaces the driver's BEGIN (SQLite: 'begin immediate'). */
  constructor(inner: Dialect, alias: string, options: { beginSql?: string } = {}) {
    this.#inner = inner;
    this.#alias = alias;
    this.#beginSql = options.beginSql ?? null;
  }
  createDriver(): Driver {
    return new ContextDriver(this.#inner.createDriver(), this.#alias, this.#beginSql);
  }
  createQueryCompiler(): QueryCompiler {
    return this.#inner.createQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return this.#inner.createAdapter();
  }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return this.#inner.createIntrospector(db);
  }
}

class ContextDriver implements Driver {
  readonly #inner: Driver;
  readonly #alias: string;
  readonly #beginSql: string | null;
  constructor(inner: Driver, alias: string, beginSql: string | null) {
    this.#inner = inner;
    this.#alias = alias;
    this.#beginSql = beginSql;
  }
  init(): Promise<void> {
    return this.#inner.init();
  }
  acquireConnection(): Promise<DriverConnection> {
    const frame = currentFrame(this.#alias);
    return frame ? Promise.resolve(frame.connection) : this.#inner.acquireConnection();
  }
  async beginTransaction(connection: DriverConnection, settings: TransactionSettings): Promise<void> {
    if (isHeld(connection)) {
      // pg would only warn about a nested BEGIN and then COMMIT the outer transaction early.
      throw new OrmUsageError(
        `A transaction was started with Kysely inside atomic() on database '${this.#alias}'; use atomic() instead (nested blocks become savepoints).`,
      );
    }
    if (this.#beginSql) await connection.executeQuery(CompiledQuery.raw(this.#beginSql));
    else await this.#inner.beginTransaction(connection, settings);
    noteBegin(this.#alias, connection);
  }
  commitTransaction(connection: DriverConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }
  rollbackTransaction(connection: DriverConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection);
  }
  savepoint(connection: DriverConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.savepoint!(connection, name, compile);
  }
  rollbackToSavepoint(connection: DriverConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.rollbackToSavepoint!(connection, name, compile);
  }
  releaseSavepoint(connection: DriverConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.releaseSavepoint!(connection, name, compile);
  }
  releaseConnection(connection: DriverConnection): Promise<void> {
    // A connection borrowed from an open transaction goes back when that transaction ends.
    return isHeld(connection) ? Promise.resolve() : this.#inner.releaseConnection(connection);
  }
  destroy(): Promise<void> {
    return this.#inner.destroy();
  }
}
