import type Database from 'better-sqlite3';

/** A cached statement and its CLOCK mark: used since the eviction scan last passed it. */
class Entry {
  used = false;
  constructor(readonly statement: Database.Statement) {}
}

/**
 * Prepared better-sqlite3 statements by SQL text, bounded. Kysely's SQLite
 * driver prepares every statement it runs; preparing (parsing and planning)
 * costs about as much as running a primary-key lookup, and an application
 * runs the same few hundred SQL texts over and over (the ORM's compile cache
 * makes them identical). SQLite re-prepares a cached statement by itself
 * after a schema change, so a cached statement never reads a stale table
 * definition.
 *
 * Eviction is CLOCK (second chance) rather than strict LRU: a hit only marks
 * its entry, and the scan at eviction time moves marked entries to the back
 * once. Moving an entry on every hit (a Map delete and re-insert) made V8
 * rebuild the Map's table every few hits: about 1 µs per statement run, an
 * eighth of a primary-key lookup on SQLite.
 */
export class StatementCache {
  readonly #database: Database.Database;
  readonly #size: number;
  readonly #entries = new Map<string, Entry>();

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
    const cached = this.#entries.get(sql);
    if (cached) {
      if (cached.statement.busy) return this.#database.prepare(sql);
      cached.used = true;
      return cached.statement;
    }
    const statement = this.#database.prepare(sql);
    if (this.#entries.size >= this.#size) this.#evictOne();
    this.#entries.set(sql, new Entry(statement));
    return statement;
  }

  /** Drop the oldest entry not used since the scan last passed it; used ones go to the back, unmarked. */
  #evictOne(): void {
    const entries = this.#entries;
    for (const [sql, entry] of entries) {
      entries.delete(sql);
      if (!entry.used) return;
      entry.used = false;
      entries.set(sql, entry);
    }
  }
}
