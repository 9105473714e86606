import { sql, type CompiledQuery, type CreateTableBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../fields/field.js';
import { ddlCompiler } from './ddl-compiler.js';
import type { ColumnShape, IndexShape, ReferenceShape, TableShape } from './table-shape.js';

/**
 * Compiles single DDL statements from table shapes, with the conventions of
 * `SchemaEditor.createModel` (NOT NULL unless nullable, no column defaults,
 * foreign keys `DEFERRABLE INITIALLY DEFERRED` with no ON DELETE action, an
 * identity / AUTOINCREMENT primary key for auto fields), so tables created by
 * migrations and by `createTables()` are the same.
 */
export class TableDdl {
  readonly dialect: Dialect;
  readonly #ddl: Kysely<any>;

  constructor(dialect: Dialect) {
    this.dialect = dialect;
    this.#ddl = ddlCompiler(dialect);
  }

  /** CREATE TABLE for `shape`, named `table` (default the shape's own name). */
  createTable(shape: TableShape, options: { table?: string; foreignKeys?: boolean } = {}): CompiledQuery {
    let builder: CreateTableBuilder<string, string> = this.#ddl.schema.createTable(options.table ?? shape.table);
    for (const column of shape.columns) builder = this.#column(builder, column);
    for (const unique of shape.uniques) builder = builder.addUniqueConstraint(unique.name, [...unique.columns]);
    for (const check of shape.checks) builder = builder.addCheckConstraint(check.name, check.expression);
    if (options.foreignKeys !== false) {
      for (const column of shape.columns) {
        const ref = column.references;
        if (ref) builder = builder.addForeignKeyConstraint(ref.name, [column.name], ref.table, [ref.column], (fk) => fk.onDelete('no action').deferrable().initiallyDeferred());
      }
    }
    return builder.compile();
  }

  dropTable(table: string, options: { ifExists?: boolean } = {}): CompiledQuery {
    let builder = this.#ddl.schema.dropTable(table);
    if (options.ifExists) builder = builder.ifExists();
    return builder.compile();
  }

  renameTable(from: string, to: string): CompiledQuery {
    return this.#ddl.schema.alterTable(from).renameTo(to).compile();
  }

  createIndex(table: string, index: IndexShape, options: { concurrently?: boolean } = {}): CompiledQuery {
    if (options.concurrently && this.dialect === 'postgres') {
      const unique = index.unique ? sql.raw('unique ') : sql.raw('');
      const columns = sql.join(index.columns.map((c) => sql.ref(c)));
      return sql`create ${unique}index concurrently ${sql.id(index.name)} on ${sql.table(table)} (${columns})`.compile(this.#ddl);
    }
    let builder = this.#ddl.schema.createIndex(index.name).on(table).columns([...index.columns]);
    if (index.unique) builder = builder.unique();
    return builder.compile();
  }

  dropIndex(name: string, options: { ifExists?: boolean; concurrently?: boolean } = {}): CompiledQuery {
    if (options.concurrently && this.dialect === 'postgres') {
      return sql`drop index concurrently ${options.ifExists ? sql.raw('if exists ') : sql.raw('')}${sql.id(name)}`.compile(this.#ddl);
    }
    let builder = this.#ddl.schema.dropIndex(name);
    if (options.ifExists) builder = builder.ifExists();
    return builder.compile();
  }

  /** `ALTER INDEX ... RENAME TO` (PostgreSQL; renames a unique constraint's index and the constraint together). */
  renameIndex(from: string, to: string): CompiledQuery {
    return sql`alter index ${sql.id(from)} rename to ${sql.id(to)}`.compile(this.#ddl);
  }

  renameConstraint(table: string, from: string, to: string): CompiledQuery {
    return this.#ddl.schema.alterTable(table).renameConstraint(from, to).compile();
  }

  dropConstraint(table: string, name: string): CompiledQuery {
    return this.#ddl.schema.alterTable(table).dropConstraint(name).compile();
  }

  addUnique(table: string, name: string, columns: readonly string[]): CompiledQuery {
    return this.#ddl.schema.alterTable(table).addUniqueConstraint(name, [...columns]).compile();
  }

  addCheck(table: string, shape: TableShape['checks'][number]): CompiledQuery {
    return this.#ddl.schema.alterTable(table).addCheckConstraint(shape.name, shape.expression).compile();
  }

  addForeignKey(table: string, column: string, ref: ReferenceShape): CompiledQuery {
    return this.#ddl.schema
      .alterTable(table)
      .addForeignKeyConstraint(ref.name, [column], ref.table, [ref.column], (fk) => fk.onDelete('no action').deferrable().initiallyDeferred())
      .compile();
  }

  addPrimaryKey(table: string, name: string, column: string): CompiledQuery {
    return this.#ddl.schema.alterTable(table).addPrimaryKeyConstraint(name, [column]).compile();
  }

  /**
   * ADD COLUMN. `backfill` (an inlined literal) fills existing rows of a NOT
   * NULL column; SQLite keeps it as the column's default (it cannot drop a
   * default), PostgreSQL callers drop it afterwards. Foreign keys are added
   * here only on SQLite (which cannot add constraints later).
   */
  addColumn(table: string, column: ColumnShape, backfill?: unknown): CompiledQuery {
    return this.#ddl.schema
      .alterTable(table)
      .addColumn(column.name, sql.raw(column.type), (col) => {
        let c = col;
        if (!column.nullable) c = c.notNull();
        if (backfill !== undefined && backfill !== null) c = c.defaultTo(sqlLiteral(backfill));
        if (this.dialect === 'sqlite' && column.references) {
          c = c.references(`${column.references.table}.${column.references.column}`).onDelete('no action').modifyEnd(sql`deferrable initially deferred`);
        }
        return c;
      })
      .compile();
  }

  dropColumn(table: string, column: string): CompiledQuery {
    return this.#ddl.schema.alterTable(table).dropColumn(column).compile();
  }

  renameColumn(table: string, from: string, to: string): CompiledQuery {
    return this.#ddl.schema.alterTable(table).renameColumn(from, to).compile();
  }

  dropDefault(table: string, column: string): CompiledQuery {
    return this.#ddl.schema.alterTable(table).alterColumn(column, (col) => col.dropDefault()).compile();
  }

  /** PostgreSQL: `ALTER COLUMN ... TYPE t USING col::t`. */
  alterColumnType(table: string, column: string, type: string): CompiledQuery {
    return sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} type ${sql.raw(type)} using ${sql.ref(column)}::${sql.raw(type)}`.compile(this.#ddl);
  }

  setNotNull(table: string, column: string, notNull: boolean): CompiledQuery {
    return this.#ddl.schema
      .alterTable(table)
      .alterColumn(column, (col) => (notNull ? col.setNotNull() : col.dropNotNull()))
      .compile();
  }

  /** `UPDATE t SET col = <literal> WHERE col IS NULL`, before SET NOT NULL. */
  fillNulls(table: string, column: string, value: unknown): CompiledQuery {
    return sql`update ${sql.table(table)} set ${sql.ref(column)} = ${sqlLiteral(value)} where ${sql.ref(column)} is null`.compile(this.#ddl);
  }

  /** PostgreSQL identity on/off for an auto primary key; a new identity starts after the largest key. */
  setIdentity(table: string, column: string, identity: boolean): CompiledQuery[] {
    if (!identity) return [sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} drop identity if exists`.compile(this.#ddl)];
    return [
      sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} add generated by default as identity`.compile(this.#ddl),
      sql`select setval(pg_get_serial_sequence(${sql.lit(quoteIdent(table))}, ${sql.lit(column)}), coalesce(max(${sql.ref(column)}), 0) + 1, false) from ${sql.table(table)}`.compile(this.#ddl),
    ];
  }

  /** Any statement built with Kysely's `sql` tag, compiled for the dialect. */
  compile(statement: { compile(kysely: Kysely<any>): CompiledQuery }): CompiledQuery {
    return statement.compile(this.#ddl);
  }

  #column(builder: CreateTableBuilder<string, string>, column: ColumnShape): CreateTableBuilder<string, string> {
    if (column.autoIncrement) {
      return this.dialect === 'postgres'
        ? builder.addColumn(column.name, sql.raw(column.type), (col) => col.primaryKey().generatedByDefaultAsIdentity())
        : builder.addColumn(column.name, sql.raw('integer'), (col) => col.primaryKey().autoIncrement());
    }
    return builder.addColumn(column.name, sql.raw(column.type), (col) => {
      let c = col;
      if (column.primaryKey) c = c.primaryKey();
      if (!column.nullable || column.primaryKey) c = c.notNull();
      return c;
    });
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A value inlined into DDL (which has no parameters): numbers, bigints,
 * booleans, strings, dates; anything else is refused with the reason.
 * @example
 * sqlLiteral("it's"); // 'it''s'
 */
export function sqlLiteral(value: unknown): ReturnType<typeof sql.lit> {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${value} cannot be written into DDL as a literal.`);
    return sql.lit(value);
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return sql.lit(value);
  if (value instanceof Date) return sql.lit(value.toISOString());
  if (typeof value === 'string') {
    if (value.includes('\0')) throw new TypeError('A string with a NUL byte cannot be written into DDL as a literal.');
    return sql.lit(value);
  }
  throw new TypeError(`Only numbers, booleans, strings and dates can be written into DDL as literals, got ${value === null ? 'null' : typeof value}.`);
}
