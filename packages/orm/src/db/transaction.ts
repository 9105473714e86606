import { isAbortedTransactionError, sql, type ControlledTransaction, type Kysely } from 'kysely';
import { OrmUsageError } from '../errors.js';
import { AsyncMutex } from './async-mutex.js';
import { connection } from './connections.js';
import { foreignKeyViolationError, translateDbError } from './errors.js';
import { sqliteForeignKeyViolation } from './sqlite-foreign-key-check.js';
import {
  captureBegin,
  currentFrame,
  holdConnection,
  pinFrame,
  pinnedFrame,
  runInFrame,
  unholdConnection,
  unpinFrame,
  type TransactionFrame,
} from './transaction-context.js';

export type IsolationLevel = 'read committed' | 'repeatable read' | 'serializable';

export interface AtomicOptions {
  /** Database alias (default 'default'). */
  using?: string;
  /** Isolation level of the outermost transaction (PostgreSQL; SQLite transactions are always serializable). */
  isolationLevel?: IsolationLevel;
}

type RootTransaction = ControlledTransaction<any, string[]>;

/**
 * Run `fn` in a transaction: commit when it returns, roll back when it
 * throws (the error is rethrown). Nested calls become savepoints, so an inner
 * block can fail and be rolled back alone. Every query on the alias inside
 * `fn` — through the ORM, `executor()`, `db()` or `connection().kysely` —
 * runs in the transaction. On SQLite, concurrent transactions wait for each
 * other (one connection); concurrent nested blocks are serialised too.
 * @example
 * await atomic(async () => {
 *   const order = await Order.create({ total: '10.00' });
 *   await atomic(async () => { await Stock.objects.filter({ id: 1 }).update({ count: F('count').sub(1) }); });
 *   onCommit(() => sendReceipt(order.id));
 * });
 */
export async function atomic<T>(fn: () => Promise<T> | T, options: AtomicOptions = {}): Promise<T> {
  const alias = options.using ?? 'default';
  const parent = currentFrame(alias);
  if (!parent) {
    const frame = await begin(alias, options.isolationLevel, false);
    return runOutermost(frame, fn);
  }
  return parent.childLock.run(() => runSavepoint(parent, fn));
}

async function begin(alias: string, isolationLevel: IsolationLevel | undefined, testCase: boolean): Promise<TransactionFrame> {
  const { kysely, dialect } = connection(alias);
  let begun: { result: RootTransaction; connection: TransactionFrame['connection'] };
  try {
    begun = await captureBegin(alias, () => {
      let builder = kysely.startTransaction();
      if (isolationLevel && dialect === 'postgres') builder = builder.setIsolationLevel(isolationLevel);
      return builder.execute() as Promise<RootTransaction>;
    });
  } catch (error) {
    throw translateDbError(error);
  }
  holdConnection(begun.connection);
  return {
    alias,
    connection: begun.connection,
    trx: begun.result,
    parent: null,
    savepoint: null,
    hooks: [],
    open: true,
    childLock: new AsyncMutex(),
    testCase,
    savepointCount: 0,
  };
}

async function runOutermost<T>(frame: TransactionFrame, fn: () => Promise<T> | T): Promise<T> {
  const trx = frame.trx as RootTransaction;
  let value: T;
  try {
    value = await runInFrame(frame, async () => fn());
  } catch (error) {
    close(frame);
    await trx.rollback().execute().catch(() => undefined);
    throw error;
  }
  close(frame);
  try {
    await trx.commit().execute();
  } catch (error) {
    // SQLite keeps the transaction open when COMMIT fails (deferred foreign keys): find the culprit, then roll back.
    let located: Error | null = null;
    if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY' && !trx.isRolledBack) {
      const violation = await sqliteForeignKeyViolation(trx).catch(() => null);
      if (violation) located = foreignKeyViolationError(violation.table, violation.column, error);
    }
    if (!trx.isCommitted && !trx.isRolledBack) await trx.rollback().execute().catch(() => undefined);
    if (located) throw located;
    if (isAbortedTransactionError(error)) {
      throw new OrmUsageError(
        `The transaction on database '${frame.alias}' was rolled back by PostgreSQL because a statement in it failed and the error was caught; wrap the statement that may fail in its own atomic() block (a savepoint) so the rest can commit.`,
      );
    }
    throw translateDbError(error);
  }
  await runHooks(frame.hooks);
  return value;
}

async function runSavepoint<T>(parent: TransactionFrame, fn: () => Promise<T> | T): Promise<T> {
  const root = rootOf(parent);
  const trx = root.trx as RootTransaction;
  const name = `atrium_sp_${++root.savepointCount}`;
  try {
    await trx.savepoint(name).execute();
  } catch (error) {
    throw translateDbError(error);
  }
  const frame: TransactionFrame = { ...root, parent, savepoint: name, hooks: [], open: true, childLock: new AsyncMutex(), testCase: false };
  let value: T;
  try {
    value = await runInFrame(frame, async () => fn());
  } catch (error) {
    frame.open = false;
    try {
      await trx.rollbackToSavepoint(name).execute();
      await trx.releaseSavepoint(name).execute();
    } catch {
      // The connection itself failed; the original error says more.
    }
    throw error;
  }
  frame.open = false;
  try {
    await trx.releaseSavepoint(name).execute();
  } catch (error) {
    throw translateDbError(error);
  }
  // Under a test-case transaction (never committed) a top-level block counts as committed.
  if (parent.testCase) await runHooks(frame.hooks);
  else parent.hooks.push(...frame.hooks);
  return value;
}

function rootOf(frame: TransactionFrame): TransactionFrame {
  let root = frame;
  while (root.parent) root = root.parent;
  return root;
}

function close(frame: TransactionFrame): void {
  frame.open = false;
  unholdConnection(frame.connection);
}

async function runHooks(hooks: ReadonlyArray<() => unknown>): Promise<void> {
  let failure: unknown = null;
  for (const hook of hooks) {
    try {
      await hook();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== null) throw failure;
}

/**
 * Run `fn` after the outermost transaction commits (send mail, enqueue jobs,
 * invalidate caches); dropped if it rolls back, or if the savepoint it was
 * registered in rolls back. Outside a transaction it runs at once.
 * @example
 * await atomic(async () => {
 *   await user.save();
 *   onCommit(() => mailer.send(user.email, 'Welcome'));
 * });
 */
export async function onCommit(fn: () => unknown, options: { using?: string } = {}): Promise<void> {
  const frame = currentFrame(options.using ?? 'default');
  if (!frame || frame.testCase) {
    await fn();
    return;
  }
  frame.hooks.push(fn);
}

/**
 * The Kysely executor for `alias` right now: the open transaction inside
 * atomic(), else the root instance. The ORM runs every query through it.
 * @example
 * const rows = await executor().selectFrom('blog_post').selectAll().execute();
 */
export function executor(alias = 'default'): Kysely<any> {
  return currentFrame(alias)?.trx ?? connection(alias).kysely;
}

/** True inside atomic() (or a test-case transaction) on `alias`. */
export function inTransaction(alias = 'default'): boolean {
  return currentFrame(alias) !== null;
}

/**
 * Open a transaction that every query on `alias` joins, in any async context,
 * until `rollbackTestTransaction` (the testing fixture's per-test isolation).
 * Internal: exported for `@atrium/orm/testing`.
 */
export async function beginTestTransaction(alias: string): Promise<void> {
  if (pinnedFrame(alias)) throw new OrmUsageError(`A test transaction is already open on database '${alias}'.`);
  if (currentFrame(alias)) throw new OrmUsageError(`Cannot start a test transaction inside atomic() on database '${alias}'.`);
  pinFrame(await begin(alias, undefined, true));
}

/**
 * Check deferred constraints (so a test that left a dangling foreign key
 * fails), then roll back the test transaction. Returns the constraint error,
 * if any, after rolling back.
 */
export async function rollbackTestTransaction(alias: string): Promise<Error | null> {
  const frame = pinnedFrame(alias);
  if (!frame) return null;
  let failure: Error | null = null;
  try {
    await checkDeferredConstraints(frame);
  } catch (error) {
    failure = translateDbError(error);
  }
  unpinFrame(alias);
  close(frame);
  await (frame.trx as RootTransaction).rollback().execute().catch(() => undefined);
  return failure;
}

async function checkDeferredConstraints(frame: TransactionFrame): Promise<void> {
  const { dialect } = connection(frame.alias);
  if (dialect === 'postgres') {
    await sql`set constraints all immediate`.execute(frame.trx);
    await sql`set constraints all deferred`.execute(frame.trx);
    return;
  }
  const violation = await sqliteForeignKeyViolation(frame.trx);
  if (violation) {
    throw foreignKeyViolationError(violation.table, violation.column, new Error(`${violation.count} row(s) of ${violation.table} point at missing ${violation.parent} rows`));
  }
}
