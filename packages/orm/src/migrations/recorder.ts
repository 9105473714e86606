import { sql, type Kysely } from 'kysely';
import { connection } from '../db/connections.js';
import { executor } from '../db/transaction.js';
import { migrationKey, type MigrationKey } from './graph.js';

/** The table holding applied migrations. */
export const MIGRATIONS_TABLE = 'atrium_migrations';

/**
 * Which migrations a database has applied: table `atrium_migrations` (app,
 * name, applied). The executor writes a row inside the migration's own
 * transaction, so the record and the schema change commit together.
 * @example
 * const recorder = new MigrationRecorder('default');
 * await recorder.ensureTable();
 * (await recorder.applied()).has('blog.0001_initial');
 */
export class MigrationRecorder {
  readonly alias: string;

  constructor(alias = 'default') {
    this.alias = alias;
  }

  /** True when the table exists. */
  async hasTable(run: Kysely<any> = executor(this.alias)): Promise<boolean> {
    const { dialect } = connection(this.alias);
    if (dialect === 'sqlite') {
      const { rows } = await sql`select 1 from sqlite_master where type = 'table' and name = ${MIGRATIONS_TABLE}`.execute(run);
      return rows.length > 0;
    }
    const { rows } = await sql<{ found: string | null }>`select to_regclass(${MIGRATIONS_TABLE}) as found`.execute(run);
    return rows[0]?.found != null;
  }

  /** Create the table when missing (the executor calls this while holding the migration lock). */
  async ensureTable(run: Kysely<any> = executor(this.alias)): Promise<void> {
    if (await this.hasTable(run)) return;
    const { dialect } = connection(this.alias);
    await run.schema
      .createTable(MIGRATIONS_TABLE)
      .ifNotExists()
      .addColumn('id', dialect === 'postgres' ? 'bigint' : 'integer', (col) => (dialect === 'postgres' ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement()))
      .addColumn('app', 'varchar(255)', (col) => col.notNull())
      .addColumn('name', 'varchar(255)', (col) => col.notNull())
      .addColumn('applied', dialect === 'postgres' ? 'timestamptz' : 'text', (col) => col.notNull())
      .addUniqueConstraint(`${MIGRATIONS_TABLE}_app_name_key`, ['app', 'name'])
      .execute();
  }

  /** Applied migrations with the time each was applied (empty when the table does not exist yet). */
  async applied(run: Kysely<any> = executor(this.alias)): Promise<Map<MigrationKey, Date>> {
    const out = new Map<MigrationKey, Date>();
    if (!(await this.hasTable(run))) return out;
    const rows = await run.selectFrom(MIGRATIONS_TABLE).select(['app', 'name', 'applied']).orderBy('id').execute();
    for (const row of rows as Array<{ app: string; name: string; applied: string | Date }>) {
      out.set(migrationKey(row.app, row.name), row.applied instanceof Date ? row.applied : new Date(row.applied));
    }
    return out;
  }

  /** Record `app.name` as applied (through `run`, the migration's transaction). */
  async recordApplied(appLabel: string, name: string, run: Kysely<any> = executor(this.alias)): Promise<void> {
    const { dialect } = connection(this.alias);
    const now = new Date();
    await run
      .insertInto(MIGRATIONS_TABLE)
      .values({ app: appLabel, name, applied: dialect === 'postgres' ? now : now.toISOString() })
      .execute();
  }

  /** Forget `app.name` (it was unapplied). */
  async recordUnapplied(appLabel: string, name: string, run: Kysely<any> = executor(this.alias)): Promise<void> {
    await run.deleteFrom(MIGRATIONS_TABLE).where('app', '=', appLabel).where('name', '=', name).execute();
  }
}
