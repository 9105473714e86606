import type pg from 'pg';
import type { CompiledQuery, QueryResult } from 'kysely';

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
 * const statements = new PostgresStatements(pool);
 * const { rows } = await statements.run(compiled, true);
 */
export class PostgresStatements {
  readonly #pool: pg.Pool;
  readonly #names = new Map<string, string>();
  readonly #limit: number;
  #issued = 0;

  /** `named` false (OPTIONS.preparedStatements) sends every statement unnamed. */
  constructor(pool: pg.Pool, named = true) {
    this.#pool = pool;
    this.#limit = named ? MAX_NAMED_STATEMENTS : 0;
  }

  /** Run `compiled` on a pooled connection; `reusable` texts (compiled once, run many times) get a prepared name while names are left. */
  async run(compiled: CompiledQuery, reusable: boolean): Promise<QueryResult<unknown>> {
    const name = reusable ? this.#nameOf(compiled.sql) : undefined;
    let result: pg.QueryResult;
    try {
      result = await this.#pool.query({ name, text: compiled.sql, values: compiled.parameters as unknown[] });
    } catch (error) {
      if (name === undefined || !isStalePlan(error)) throw error;
      // The table changed under the prepared statement: prepare the text again under a new name (this statement ran in no transaction, so retrying is safe).
      this.#names.delete(compiled.sql);
      result = await this.#pool.query({ name: this.#nameOf(compiled.sql), text: compiled.sql, values: compiled.parameters as unknown[] });
    }
    return toQueryResult(result);
  }

  #nameOf(sql: string): string | undefined {
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
