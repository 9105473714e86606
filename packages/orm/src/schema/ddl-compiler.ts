import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { Dialect } from '../fields/field.js';

const cold = new Map<Dialect, Kysely<any>>();

/**
 * A Kysely instance that only compiles (no driver): the schema editor builds
 * DDL with Kysely's schema builder and needs the SQL text without a
 * connection (for `sqlmigrate` and for running it through any executor).
 */
export function ddlCompiler(dialect: Dialect): Kysely<any> {
  let kysely = cold.get(dialect);
  if (!kysely) {
    kysely =
      dialect === 'postgres'
        ? new Kysely<any>({
            dialect: {
              createAdapter: () => new PostgresAdapter(),
              createDriver: () => new DummyDriver(),
              createIntrospector: (db) => new PostgresIntrospector(db),
              createQueryCompiler: () => new PostgresQueryCompiler(),
            },
          })
        : new Kysely<any>({
            dialect: {
              createAdapter: () => new SqliteAdapter(),
              createDriver: () => new DummyDriver(),
              createIntrospector: (db) => new SqliteIntrospector(db),
              createQueryCompiler: () => new SqliteQueryCompiler(),
            },
          });
    cold.set(dialect, kysely);
  }
  return kysely;
}
