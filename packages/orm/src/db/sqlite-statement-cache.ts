import type Database from 'better-sqlite3';

/** A cached statement, what the cache's owner made of it, and its CLOCK mark: used since the eviction scan last passed it. */
class Entry<T> {
  used = false;
  constructor(
    readonly sql: string,
    readonly statement: Database.Statement,
    readonly value: T,
  ) {}
}

const asIs = (statement: Database.Statement): Database.Statement => statement;

/**
 * Prepared better-sqlite3 statements by SQL text, bounded. Kysely's SQLite
 * driver prepares every statement it runs; preparing (parsing and planning)
 * costs about as much as running a primary-key lookup, and an application
 * runs the same few hundred SQL texts over and over (the ORM's compile cache
 * makes them identical). SQLite re-prepares a cached statement by itself
 * after a schema change, so a cached statement never reads a stale table
 * definition. Each statement is handed out as `adapt` made it once (the
 * statement itself by default; see sqlite-exact-integers.ts), so facts about
 * a statement are worked out once per statement rather than per run.
 *
 * Eviction is CLOCK (second chance) rather than strict LRU: a hit only marks
 * its entry, and the scan at eviction time moves marked entries to the back
 * once. Moving an entry on every hit (a Map delete and re-insert) made V8
 * rebuild the Map's table every few hits: about 1 µs per statement run, an
 * eighth of a primary-key lookup on SQLite.
 */
export class StatementCache<T = Database.Statement> {
  readonly #database: Database.Database;
  readonly #size: number;
  readonly #adapt: (statement: Database.Statement) => T;
  readonly #entries = new Map<string, Entry<T>>();
  /**
   * The entry prepareIdle() handed out last: a loop of the same query (N
   * lookups of one request) finds it by comparing the text, which is the
   * very string object of the compile cache, instead of hashing into the Map.
   */
  #last: Entry<T> | null = null;

  /** `size` 0 turns caching off (every call prepares). */
  constructor(database: Database.Database, size: number, adapt?: (statement: Database.Statement) => T) {
    this.#database = database;
    this.#size = size;
    this.#adapt = adapt ?? (asIs as unknown as (statement: Database.Statement) => T);
  }

  /**
   * The statement for `sql`: the cached one, or a new one (cached). A cached
   * statement still being iterated (a stream in progress) is not handed out
   * twice: better-sqlite3 refuses to run a busy statement, so that caller gets
   * a fresh one.
   * @example
   * const rows = cache.prepare('select * from blog_post where id = ?').all(1);
   */
  prepare(sql: string): T {
    if (this.#size === 0) return this.#adapt(this.#database.prepare(sql));
    const cached = this.#entries.get(sql);
    if (cached) {
      if (cached.statement.busy) return this.#adapt(this.#database.prepare(sql));
      cached.used = true;
      return cached.value;
    }
    return this.#add(sql);
  }

  /**
   * prepare() for a caller that holds the connection while nothing else
   * does (ContextDialect.runNow): no statement of this database can be in
   * the middle of an iteration then, since a stream holds the connection
   * until it ends, so the busy check (a call into the driver) is skipped.
   */
  prepareIdle(sql: string): T {
    const last = this.#last;
    if (last !== null && last.sql === sql) {
      last.used = true;
      return last.value;
    }
    const cached = this.#size === 0 ? undefined : this.#entries.get(sql);
    if (cached === undefined) return this.prepare(sql);
    cached.used = true;
    this.#last = cached;
    return cached.value;
  }

  #add(sql: string): T {
    const statement = this.#database.prepare(sql);
    const value = this.#adapt(statement);
    if (this.#entries.size >= this.#size) this.#evictOne();
    this.#entries.set(sql, new Entry(sql, statement, value));
    return value;
  }

  /** Drop the oldest entry not used since the scan last passed it; used ones go to the back, unmarked. */
  #evictOne(): void {
    const entries = this.#entries;
    for (const [sql, entry] of entries) {
      entries.delete(sql);
      if (!entry.used) {
        if (entry === this.#last) this.#last = null;
        return;
      }
      entry.used = false;
      entries.set(sql, entry);
    }
  }
}
