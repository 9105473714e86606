import {
  CompiledQuery,
  type DatabaseConnection as DriverConnection,
  type QueryResult,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type TransactionSettings,
} from 'kysely';
import { OrmUsageError } from '../errors.js';
import type { AnyModel } from '../model/model.js';
import type { PostgresStatements } from './postgres-statements.js';
import { capturing, countStatement, recordQuery, tallyOf, type QueryTally } from './query-counter.js';
import { bindable, type SqliteStatements } from './sqlite-exact-integers.js';
import { currentFrame, isHeld, noteBegin } from './transaction-context.js';

/**
 * Wrap a Kysely dialect so that, inside `atomic()`, every query on this alias
 * runs on the transaction's connection — even one issued through the root
 * `connection().kysely` instead of `executor()`. Like Django's one connection
 * per thread, code deep in a call stack cannot escape the transaction by
 * accident; and on SQLite (one connection behind a mutex) such a query would
 * otherwise wait for the transaction that waits for it: a deadlock.
 *
 * It also counts the statements run on the alias (query-counter.ts) at the
 * connection, rather than through Kysely's `log` option, which would time
 * every statement and add an async step to each.
 */
export class ContextDialect implements Dialect {
  readonly #inner: Dialect;
  readonly #alias: string;
  readonly #beginSql: string | null;
  readonly #statements: SqliteStatements | null;
  readonly #postgres: PostgresStatements | null;
  readonly #tally: QueryTally;
  #driver: ContextDriver | null = null;
  /**
   * `beginSql` replaces the driver's BEGIN (SQLite: 'begin immediate');
   * `statements` (SQLite) is the database the driver prepares statements
   * on, which runNow() uses too; `postgres` (PostgreSQL) runs the
   * statements of runPooled().
   */
  constructor(inner: Dialect, alias: string, options: { beginSql?: string; statements?: SqliteStatements; postgres?: PostgresStatements } = {}) {
    this.#inner = inner;
    this.#alias = alias;
    this.#beginSql = options.beginSql ?? null;
    this.#statements = options.statements ?? null;
    this.#postgres = options.postgres ?? null;
    this.#tally = tallyOf(alias);
  }
  createDriver(): Driver {
    this.#driver = new ContextDriver(this.#inner.createDriver(), this.#alias, this.#beginSql);
    return this.#driver;
  }
  /**
   * SQLite: run `compiled` synchronously, without Kysely's connection
   * provider, when that is indistinguishable from the normal path: no
   * transaction frame is active here and no one holds the connection (so no
   * transaction is open and nothing waits on it), exactly as the driver
   * would run it — same prepared statement, same result shape, counted the
   * same way. Returns null (run it the normal way) otherwise. `oneRow`: the
   * caller knows at most one row can match (a primary-key lookup), so only
   * the first is read. better-sqlite3
   * is synchronous, so the normal path only adds promise hops and the
   * mutex: about half the ORM's cost of a primary-key lookup.
   */
  runNow(compiled: CompiledQuery, oneRow = false): QueryResult<unknown> | null {
    const statements = this.#statements;
    const driver = this.#driver;
    if (statements === null || driver === null || !driver.idle() || currentFrame(this.#alias) !== null) return null;
    const startedAt = capturing() ? performance.now() : 0;
    // The connection is idle (checked above): no statement is in the middle of a stream.
    const { statement, reader } = statements.prepareIdle(compiled.sql);
    if (reader) {
      // A lone value is bound as itself (see bindable()); the driver's typings only name the list form.
      const parameters = bindable(compiled.parameters) as readonly unknown[];
      // better-sqlite3's get() stops at the first row: no second step, no result array from the driver.
      const row = oneRow ? statement.get(parameters) : undefined;
      const rows = oneRow ? (row === undefined ? [] : [row]) : (statement.all(parameters) as unknown[]);
      // A statement that returns rows is never transaction control: counted without testing its text.
      countStatement(this.#tally, compiled, startedAt);
      return { rows };
    }
    const { changes, lastInsertRowid } = statement.run(compiled.parameters);
    const result: QueryResult<unknown> = {
      numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
      insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
      rows: [],
    };
    recordQuery(this.#alias, compiled, startedAt);
    return result;
  }
  /**
   * PostgreSQL: run `compiled` straight on the pool, as a hand-written app
   * would (`reusable` texts as named prepared statements, see
   * PostgresStatements), when no transaction frame is active here: the
   * statement would get a connection of its own from the same pool through
   * Kysely's executor anyway, only after a connection provider, this
   * driver's wrappers and their promises. Counted the same way (by
   * PostgresStatements). Returns null
   * (run it the normal way) inside atomic().
   */
  runPooled(compiled: CompiledQuery, reusable: boolean): Promise<QueryResult<unknown>> | null {
    const postgres = this.#postgres;
    if (postgres === null || currentFrame(this.#alias) !== null) return null;
    return postgres.run(compiled, reusable);
  }
  /**
   * runPooled() for a SELECT: `then(rows, arg)` runs in the same step as
   * counting the statement, and a driver error comes out translated for
   * `model` (see PostgresStatements.rows). Null inside atomic().
   */
  runPooledRows<A, T>(compiled: CompiledQuery, reusable: boolean, model: AnyModel, then: (rows: unknown[], arg: A) => T | PromiseLike<T>, arg: A): Promise<T> | null {
    const postgres = this.#postgres;
    if (postgres === null || currentFrame(this.#alias) !== null) return null;
    return postgres.rows(compiled, reusable, model, then, arg);
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
  /** One counting wrapper per driver connection, so a connection keeps its identity (transaction frames, held set). */
  readonly #wrappers = new WeakMap<DriverConnection, CountingConnection>();
  /** Connections acquired from the inner driver and not yet released (transaction borrowings excluded). */
  #inUse = 0;
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
    if (frame) return Promise.resolve(frame.connection);
    return this.#inner.acquireConnection().then((connection) => {
      this.#inUse++;
      return this.#wrap(connection);
    });
  }
  /** Whether no connection of the inner driver is out (none acquired, or all released). */
  idle(): boolean {
    return this.#inUse === 0;
  }
  async beginTransaction(connection: DriverConnection, settings: TransactionSettings): Promise<void> {
    if (isHeld(connection)) {
      // pg would only warn about a nested BEGIN and then COMMIT the outer transaction early.
      throw new OrmUsageError(
        `A transaction was started with Kysely inside atomic() on database '${this.#alias}'; use atomic() instead (nested blocks become savepoints).`,
      );
    }
    // Transaction control goes to the driver's own connection: it is not counted as a query.
    const inner = unwrap(connection);
    if (this.#beginSql) await inner.executeQuery(CompiledQuery.raw(this.#beginSql));
    else await this.#inner.beginTransaction(inner, settings);
    noteBegin(this.#alias, connection);
  }
  commitTransaction(connection: DriverConnection): Promise<void> {
    return this.#inner.commitTransaction(unwrap(connection));
  }
  rollbackTransaction(connection: DriverConnection): Promise<void> {
    return this.#inner.rollbackTransaction(unwrap(connection));
  }
  savepoint(connection: DriverConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.savepoint!(unwrap(connection), name, compile);
  }
  rollbackToSavepoint(connection: DriverConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.rollbackToSavepoint!(unwrap(connection), name, compile);
  }
  releaseSavepoint(connection: DriverConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.#inner.releaseSavepoint!(unwrap(connection), name, compile);
  }
  releaseConnection(connection: DriverConnection): Promise<void> {
    // A connection borrowed from an open transaction goes back when that transaction ends.
    if (isHeld(connection)) return Promise.resolve();
    this.#inUse--;
    return this.#inner.releaseConnection(unwrap(connection));
  }
  destroy(): Promise<void> {
    return this.#inner.destroy();
  }

  #wrap(connection: DriverConnection): CountingConnection {
    let wrapper = this.#wrappers.get(connection);
    if (!wrapper) this.#wrappers.set(connection, (wrapper = new CountingConnection(connection, this.#alias)));
    return wrapper;
  }
}

/** A driver connection whose successful statements are counted for the alias. */
class CountingConnection implements DriverConnection {
  readonly inner: DriverConnection;
  readonly #alias: string;
  constructor(inner: DriverConnection, alias: string) {
    this.inner = inner;
    this.#alias = alias;
  }
  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const startedAt = capturing() ? performance.now() : 0;
    // A statement that fails (synchronously on SQLite, or by rejecting) is not counted, as Kysely's log did not.
    return this.inner.executeQuery<R>(compiledQuery).then((result) => {
      recordQuery(this.#alias, compiledQuery, startedAt);
      return result;
    });
  }
  streamQuery<R>(compiledQuery: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    recordQuery(this.#alias, compiledQuery, 0);
    return this.inner.streamQuery<R>(compiledQuery, chunkSize);
  }
}

function unwrap(connection: DriverConnection): DriverConnection {
  return connection instanceof CountingConnection ? connection.inner : connection;
}
