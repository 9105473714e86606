import { sql, type Kysely } from 'kysely';
import { CacheUnavailable, CacheValueError } from '@atrium/core';
import type { CacheStore } from '@atrium/core/cache';
import { connection } from '../db/connections.js';

export interface DatabaseCacheStoreOptions {
  /** Table made by `manage createcachetable` (CACHES LOCATION). */
  table: string;
  /** DATABASES alias (default 'default'). */
  database?: string;
  /** Rows kept; past it, expired rows and then the oldest third of keys are deleted (default 10,000). */
  maxEntries?: number;
  /** Clock in ms (tests pass a fake one). */
  now?: () => number;
}

interface CacheTable {
  cache_key: string;
  value: string;
  /** Epoch ms; null = never expires. */
  expires: number | string | null;
}

type CacheDb = Record<string, CacheTable>;

/** Share of rows removed when the table is over MAX_ENTRIES (Django's CULL_FREQUENCY 3). */
const CULL_FRACTION = 3;

/**
 * A cache in a database table, on SQLite or PostgreSQL: every worker and
 * machine sharing the database shares it. Expiry is checked on read
 * (epoch-ms column, indexed); the table is culled past MAX_ENTRIES. Any
 * database failure (down, missing table) is an outage: a miss with a
 * logged warning, never an error page.
 * @example CACHES: { default: { BACKEND: 'database', LOCATION: 'atrium_cache' } }
 */
export class DatabaseCacheStore implements CacheStore {
  readonly name = 'database';
  readonly table: string;
  readonly database: string;
  readonly maxEntries: number;
  readonly #now: () => number;

  constructor(options: DatabaseCacheStoreOptions) {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(options.table)) {
      throw new TypeError(`Cache table name ${JSON.stringify(options.table)} is invalid; use letters, digits and underscores (e.g. 'atrium_cache').`);
    }
    this.table = options.table;
    this.database = options.database ?? 'default';
    this.maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  get(key: string): Promise<string | undefined> {
    return this.#run(async (db) => {
      const row = await this.#live(db).select('value').where('cache_key', '=', key).executeTakeFirst();
      return row?.value;
    });
  }

  getMany(keys: readonly string[]): Promise<Map<string, string>> {
    return this.#run(async (db) => {
      const out = new Map<string, string>();
      if (keys.length === 0) return out;
      const rows = await this.#live(db).select(['cache_key', 'value']).where('cache_key', 'in', [...keys]).execute();
      for (const row of rows) out.set(row.cache_key, row.value);
      return out;
    });
  }

  set(key: string, value: string, ttl: number | null): Promise<void> {
    return this.#run(async (db) => {
      await this.#upsert(db, [{ cache_key: key, value, expires: this.#expiry(ttl) }]);
      await this.#cull(db);
    });
  }

  setMany(entries: ReadonlyMap<string, string>, ttl: number | null): Promise<void> {
    return this.#run(async (db) => {
      if (entries.size === 0) return;
      const expires = this.#expiry(ttl);
      await this.#upsert(db, [...entries].map(([cache_key, value]) => ({ cache_key, value, expires })));
      await this.#cull(db);
    });
  }

  add(key: string, value: string, ttl: number | null): Promise<boolean> {
    return this.#run(async (db) => {
      // An expired row does not count as present.
      await db.deleteFrom(this.table).where('cache_key', '=', key).where('expires', '<=', this.#now()).execute();
      const result = await db
        .insertInto(this.table)
        .values({ cache_key: key, value, expires: this.#expiry(ttl) })
        .onConflict((oc) => oc.column('cache_key').doNothing())
        .executeTakeFirst();
      const added = Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
      if (added) await this.#cull(db);
      return added;
    });
  }

  delete(key: string): Promise<boolean> {
    return this.#run(async (db) => {
      const live = await this.#live(db).select('cache_key').where('cache_key', '=', key).executeTakeFirst();
      await db.deleteFrom(this.table).where('cache_key', '=', key).execute();
      return live !== undefined;
    });
  }

  deleteMany(keys: readonly string[]): Promise<void> {
    return this.#run(async (db) => {
      if (keys.length > 0) await db.deleteFrom(this.table).where('cache_key', 'in', [...keys]).execute();
    });
  }

  incr(key: string, delta: number): Promise<number | undefined> {
    return this.#run(async (db) => {
      const dialect = connection(this.database).dialect;
      // One UPDATE, so concurrent increments never lose a count; only integer text is changed.
      const isInteger = dialect === 'postgres' ? sql<boolean>`value ~ '^-?[0-9]{1,18}$'` : sql<boolean>`CAST(CAST(value AS INTEGER) AS TEXT) = value`;
      // The delta is cast too: SQLite binds a JS number as REAL, and REAL + INTEGER would store '11.0'.
      const cast =
        dialect === 'postgres'
          ? sql<string>`CAST(CAST(value AS BIGINT) + CAST(${delta} AS BIGINT) AS TEXT)`
          : sql<string>`CAST(CAST(value AS INTEGER) + CAST(${delta} AS INTEGER) AS TEXT)`;
      const row = await db
        .updateTable(this.table)
        .set({ value: cast })
        .where('cache_key', '=', key)
        .where((eb) => eb.or([eb('expires', 'is', null), eb('expires', '>', this.#now())]))
        .where(isInteger)
        .returning('value')
        .executeTakeFirst();
      if (row) return Number(row.value);
      const present = await this.#live(db).select('cache_key').where('cache_key', '=', key).executeTakeFirst();
      if (present) throw new CacheValueError(`Cannot increment cache key '${key}': its value is not an integer.`);
      return undefined;
    });
  }

  touch(key: string, ttl: number | null): Promise<boolean> {
    return this.#run(async (db) => {
      const result = await db
        .updateTable(this.table)
        .set({ expires: this.#expiry(ttl) })
        .where('cache_key', '=', key)
        .where((eb) => eb.or([eb('expires', 'is', null), eb('expires', '>', this.#now())]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    });
  }

  has(key: string): Promise<boolean> {
    return this.#run(async (db) => (await this.#live(db).select('cache_key').where('cache_key', '=', key).executeTakeFirst()) !== undefined);
  }

  clear(prefix: string): Promise<void> {
    return this.#run(async (db) => {
      let query = db.deleteFrom(this.table);
      if (prefix !== '') query = query.where(sql<string>`substr(cache_key, 1, ${prefix.length})`, '=', prefix);
      await query.execute();
    });
  }

  /** The connection belongs to the orm app; nothing to release here. */
  async close(): Promise<void> {}

  #live(db: Kysely<CacheDb>) {
    return db.selectFrom(this.table).where((eb) => eb.or([eb('expires', 'is', null), eb('expires', '>', this.#now())]));
  }

  #expiry(ttl: number | null): number | null {
    return ttl === null ? null : this.#now() + ttl;
  }

  async #upsert(db: Kysely<CacheDb>, rows: CacheTable[]): Promise<void> {
    await db
      .insertInto(this.table)
      .values(rows)
      .onConflict((oc) => oc.column('cache_key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), expires: eb.ref('excluded.expires') })))
      .execute();
  }

  /** Past MAX_ENTRIES: drop expired rows, then the first third of keys (Django's cull). */
  async #cull(db: Kysely<CacheDb>): Promise<void> {
    const { count } = await db.selectFrom(this.table).select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow();
    if (Number(count) <= this.maxEntries) return;
    await db.deleteFrom(this.table).where('expires', '<=', this.#now()).execute();
    const { left } = await db.selectFrom(this.table).select((eb) => eb.fn.countAll<number | string>().as('left')).executeTakeFirstOrThrow();
    if (Number(left) <= this.maxEntries) return;
    const cutoff = await db
      .selectFrom(this.table)
      .select('cache_key')
      .orderBy('cache_key')
      .offset(Math.floor(Number(left) / CULL_FRACTION))
      .limit(1)
      .executeTakeFirst();
    if (cutoff) await db.deleteFrom(this.table).where('cache_key', '<', cutoff.cache_key).execute();
  }

  /** Any database failure is an outage for the cache: the caller gets a miss, the log a warning naming the fix. */
  async #run<R>(work: (db: Kysely<CacheDb>) => Promise<R>): Promise<R> {
    try {
      return await work(connection(this.database).kysely as Kysely<CacheDb>);
    } catch (error) {
      if (error instanceof CacheValueError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const hint = /no such table|does not exist/i.test(message) ? ` — create it with \`manage createcachetable\`` : '';
      throw new CacheUnavailable(`cache table '${this.table}' on database '${this.database}' failed: ${message}${hint}`, { cause: error });
    }
  }
}
