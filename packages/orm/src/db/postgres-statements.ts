import type pg from 'pg';
import type { CompiledQuery, QueryResult } from 'kysely';
import type { AnyModel } from '../model/model.js';
import { translateDbError } from './errors.js';
import type { GateWaiter, PoolGate } from './pool-gate.js';
import { capturing, recordQuery } from './query-counter.js';

// Named statements per pool. Each name stays prepared on every connection
// that ran it until the connection closes, so the set must stay bounded;
// an application's recurring query shapes are a few dozen to a few hundred.
const MAX_NAMED_STATEMENTS = 200;

// The server refuses to reuse a prepared statement whose `select *` now
// yields other columns (a migration changed the table): SQLSTATE 0A000.
const STALE_PLAN = 'cached plan must not change result type';

/**
 * Runs statements on a pg pool the way a hand-written app does: the SQL
 * texts the ORM reuses (its compiled query shapes) as named prepared
 * statements, `{ name, text, values }`, so each connection parses and plans
 * a text once and then only binds values; everything else unnamed. pg keeps
 * the prepared names per connection and prepares a name on a connection the
 * first time it runs there, so one name per text per pool is enough.
 * @example
 * const statements = new PostgresStatements(pool, new PoolGate(pool, 10, 5_000));
 * const { rows } = await statements.run(compiled, true);
 */
export class PostgresStatements {
  readonly #pool: pg.Pool;
  /** Every statement takes its connection through the pool's gate (see PoolGate). */
  readonly gate: PoolGate;
  readonly #names = new Map<string, string>();
  readonly #limit: number;
  #issued = 0;

  /** `named` false (OPTIONS.preparedStatements) sends every statement unnamed; `alias` is what successful statements are counted under (query-counter.ts). */
  constructor(pool: pg.Pool, gate: PoolGate, named = true, alias = 'default') {
    this.#pool = pool;
    this.gate = gate;
    this.#limit = named ? MAX_NAMED_STATEMENTS : 0;
    this.alias = alias;
  }

  readonly alias: string;

  /** Run `compiled` on a pooled connection; `reusable` texts (compiled once, run many times) get a prepared name while names are left. Rejects with the driver's error. */
  run(compiled: CompiledQuery, reusable: boolean): Promise<QueryResult<unknown>> {
    return new Promise<QueryResult<unknown>>((resolve, reject) => {
      this.gate.acquire(new PendingStatement(this, compiled, reusable, true, null, asIs, undefined, resolve, reject));
    });
  }

  /**
   * run() for a SELECT whose rows go straight on to `then(rows, arg)`:
   * counting the statement, taking the rows, `then` and translating a
   * driver error for `model` (translateDbError) all happen in pg's
   * callback, so the returned promise is the only one per statement.
   * `pool.query()`'s own promise, an async wrapper and a `.then` per layer
   * cost the ORM about five promise steps per get() where a hand-written
   * `await pool.query()` takes one or two (issue #10). `then` throwing
   * rejects with that error, untranslated.
   */
  rows<A, T>(compiled: CompiledQuery, reusable: boolean, model: AnyModel, then: (rows: unknown[], arg: A) => T | PromiseLike<T>, arg: A): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.gate.acquire(new PendingStatement(this, compiled, reusable, false, model, then as (value: unknown, arg: unknown) => T, arg, resolve, reject));
    });
  }

  /** Send `pending` (which holds a connection from the gate) under its prepared name (if any); pg calls back `pending.done` once, possibly synchronously (a pool that was ended). */
  send(pending: PendingStatement): void {
    const { compiled } = pending;
    try {
      this.#pool.query({ name: pending.name, text: compiled.sql, values: compiled.parameters as unknown[] }, pending.done);
    } catch (error) {
      pending.done(error as Error, undefined);
    }
  }

  /** The name `pending` should run under, once its statement came back stale: a fresh one (or none when names ran out). */
  renamed(sql: string): string | undefined {
    this.#names.delete(sql);
    return this.nameFor(sql);
  }

  /** The prepared name for `sql`, given out while names are left (undefined: send it unnamed). */
  nameFor(sql: string): string | undefined {
    const known = this.#names.get(sql);
    if (known !== undefined || this.#issued >= this.#limit) return known;
    const name = `atrium_${++this.#issued}`;
    this.#names.set(sql, name);
    return name;
  }
}

function isStalePlan(error: unknown): boolean {
  return error instanceof Error && (error as Error & { code?: unknown }).code === '0A000' && error.message.includes(STALE_PLAN);
}

/** The result as Kysely's PostgreSQL driver shapes it (rows; the count of changed rows for writes). */
function toQueryResult(result: pg.QueryResult): QueryResult<unknown> {
  const { command, rowCount, rows } = result;
  const writes = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE';
  return { numAffectedRows: writes ? BigInt(rowCount ?? 0) : undefined, rows: rows ?? [] };
}

function asIs(value: unknown): unknown {
  return value;
}

/** One statement, waiting at the gate or in flight: what to do with its result, and how to settle its promise. */
class PendingStatement implements GateWaiter {
  readonly statements: PostgresStatements;
  readonly compiled: CompiledQuery;
  name: string | undefined;
  #retried = false;
  readonly #whole: boolean;
  readonly #model: AnyModel | null;
  readonly #then: (value: unknown, arg: unknown) => unknown;
  readonly #arg: unknown;
  readonly #resolve: (value: never) => void;
  readonly #reject: (reason: unknown) => void;
  readonly #startedAt: number;

  constructor(
    statements: PostgresStatements,
    compiled: CompiledQuery,
    reusable: boolean,
    whole: boolean,
    model: AnyModel | null,
    then: (value: unknown, arg: unknown) => unknown,
    arg: unknown,
    resolve: (value: never) => void,
    reject: (reason: unknown) => void,
  ) {
    this.statements = statements;
    this.compiled = compiled;
    this.name = reusable ? statements.nameFor(compiled.sql) : undefined;
    this.#whole = whole;
    this.#model = model;
    this.#then = then;
    this.#arg = arg;
    this.#resolve = resolve;
    this.#reject = reject;
    this.#startedAt = capturing() ? performance.now() : 0;
  }

  /** The gate let it through: send it. */
  start(): void {
    this.statements.send(this);
  }

  /** Reject with `error`, translated for the model: the gate gave up on it (it was never sent), or pg failed it. */
  fail(error: Error): void {
    this.#reject(this.#model === null ? error : translateDbError(error, this.#model));
  }

  // A bound field rather than a method: pg calls it back detached.
  readonly done = (error: Error | null | undefined, result: pg.QueryResult | undefined): void => {
    if (error) {
      if (this.name !== undefined && !this.#retried && isStalePlan(error)) {
        // The table changed under the prepared statement: prepare the text again under a new name (this statement ran in no
        // transaction, so retrying is safe). Its connection from the gate is still its own: pg-pool has it idle again.
        this.#retried = true;
        this.name = this.statements.renamed(this.compiled.sql);
        this.statements.send(this);
        return;
      }
      // pg-pool released the connection before calling back; the gate gets it back before anything else runs.
      this.statements.gate.release();
      this.fail(error);
      return;
    }
    this.statements.gate.release();
    try {
      recordQuery(this.statements.alias, this.compiled, this.#startedAt);
      const value = this.#whole ? toQueryResult(result!) : (result!.rows ?? []);
      this.#resolve(this.#then(value, this.#arg) as never);
    } catch (thrown) {
      this.#reject(thrown);
    }
  };
}
