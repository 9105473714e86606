import type Database from 'better-sqlite3';

/**
 * Prepared better-sqlite3 statements by SQL text, least recently used
 * dropped first. Kysely's SQLite driver prepares every statement it runs;
 * preparing (parsing and planning) costs about as much as running a
 * primary-key lookup, and an application runs the same few hundred SQL
 * texts over and over (the ORM's compile cache makes them identical).
 * SQLite re-prepares a cached statement by itself after a schema change, so
 * a cached statement never reads a stale table definition.
 */
export class StatementCache {
  readonly #database: Database.Database;
  readonly #size: number;
  readonly #statements = new Map<string, Database.Statement>();

  /** `size` 0 turns caching off (every call prepares). */
  constructor(database: Database.Database, size: number) {
    this.#database = database;
    this.#size = size;
  }

  /**
   * The statement for `sql`: the cached one, or a new one (cached). A cached
   * statement still being iterated (a stream in progress) is not handed out
   * twice: better-sqlite3 refuses to run a busy statement, so that caller gets
   * a fresh one.
   * @example
   * const rows = cache.prepare('select * from blog_post where id = ?').all(1);
   */
  prepare(sql: string): Database.Statement {
    if (this.#size === 0) return this.#database.prepare(sql);
    const cached = this.#statements.get(sql);
    if (cached) {
      if (cached.busy) return this.#database.prepare(sql);
      // Most recently used last: Map iteration order is insertion order.
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    const statement = this.#database.prepare(sql);
    if (this.#statements.size >= this.#size) this.#statements.delete(this.#statements.keys().next().value!);
    this.#statements.set(sql, statement);
    return statement;
  }
}
