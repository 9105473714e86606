import { sql, type CompiledQuery, type CreateTableBuilder, type Kysely } from 'kysely';
import { ImproperlyConfigured } from '@atrium/core';
import type { AnyField, Dialect } from '../fields/field.js';
import { ForeignKey } from '../fields/relation-fields.js';
import type { AnyModel } from '../model/model.js';
import { compileCheck } from './check-condition.js';
import { ddlCompiler } from './ddl-compiler.js';
import { ddlName, foreignKeyName, indexName, uniqueName } from './ddl-names.js';

export interface CreateModelOptions {
  /**
   * Emit the model's foreign key constraints inside CREATE TABLE (default
   * true). Pass false to add them afterwards with `addForeignKeys()` when
   * tables reference each other in a cycle (PostgreSQL needs the target table
   * to exist).
   */
  foreignKeys?: boolean;
}

/**
 * DDL for models, per dialect. Each operation returns compiled statements (the
 * intermediate form: `sqlmigrate` prints them, `execute()` runs them), built
 * with Kysely's schema builder so names are quoted by the dialect's compiler.
 *
 * Decisions shared by both databases: NOT NULL unless `null: true`; no
 * column defaults (the ORM applies defaults, so a function default behaves
 * the same everywhere); foreign keys are `DEFERRABLE INITIALLY DEFERRED` with
 * no ON DELETE action (the ORM implements onDelete identically on both, and
 * deferral lets a transaction insert rows in any order); foreign key and
 * `index: true` columns are indexed; names longer than 63 bytes get a hash.
 * @example
 * const editor = new SchemaEditor('postgres');
 * for (const statement of editor.createModel(Post)) console.log(statement.sql);
 */
export class SchemaEditor {
  readonly dialect: Dialect;
  readonly #ddl: Kysely<any>;

  constructor(dialect: Dialect) {
    this.dialect = dialect;
    this.#ddl = ddlCompiler(dialect);
  }

  /** CREATE TABLE (columns, primary key, unique, check and foreign key constraints) plus CREATE INDEX statements. */
  createModel(model: AnyModel, options: CreateModelOptions = {}): CompiledQuery[] {
    const { table } = model.meta;
    let builder: CreateTableBuilder<string, string> = this.#ddl.schema.createTable(table);
    for (const field of model.meta.columnFields) builder = this.#addColumn(builder, field);
    for (const field of model.meta.columnFields) {
      if (field.isUnique && !field.isPrimaryKey) builder = builder.addUniqueConstraint(uniqueName(table, field.column), [field.column]);
    }
    for (const constraint of model.meta.constraints) {
      if (constraint.kind === 'unique') {
        builder = builder.addUniqueConstraint(ddlName(constraint.name), this.#columns(model, constraint.fields, constraint.name));
      } else {
        builder = builder.addCheckConstraint(ddlName(constraint.name), compileCheck(model, constraint.condition, this.dialect));
      }
    }
    if (options.foreignKeys !== false) {
      for (const field of this.#constrainedForeignKeys(model)) {
        builder = builder.addForeignKeyConstraint(foreignKeyName(table, field.column), [field.column], field.target.meta.table, [field.target.meta.pk.column], (fk) =>
          fk.onDelete('no action').deferrable().initiallyDeferred(),
        );
      }
    }
    return [builder.compile(), ...this.#indexes(model)];
  }

  /** ALTER TABLE ... ADD CONSTRAINT for the model's foreign keys (PostgreSQL; SQLite cannot add constraints later). */
  addForeignKeys(model: AnyModel): CompiledQuery[] {
    if (this.dialect === 'sqlite') {
      throw new ImproperlyConfigured(`SQLite cannot add a foreign key to an existing table (${model.meta.table}); create it with its foreign keys.`);
    }
    return this.#constrainedForeignKeys(model).map((field) =>
      this.#ddl.schema
        .alterTable(model.meta.table)
        .addForeignKeyConstraint(foreignKeyName(model.meta.table, field.column), [field.column], field.target.meta.table, [field.target.meta.pk.column], (fk) =>
          fk.onDelete('no action').deferrable().initiallyDeferred(),
        )
        .compile(),
    );
  }

  /** DROP TABLE (with CASCADE on PostgreSQL when `cascade`, dropping constraints that point at it). */
  deleteModel(model: AnyModel, options: { ifExists?: boolean; cascade?: boolean } = {}): CompiledQuery[] {
    let builder = this.#ddl.schema.dropTable(model.meta.table);
    if (options.ifExists) builder = builder.ifExists();
    if (options.cascade && this.dialect === 'postgres') builder = builder.cascade();
    return [builder.compile()];
  }

  /**
   * ADD COLUMN for a new field. A NOT NULL column needs `backfill`, a value
   * written into existing rows (inlined: DDL has no parameters). Unique fields
   * get a unique index (SQLite cannot add a UNIQUE column).
   */
  addField(model: AnyModel, field: AnyField, options: { backfill?: string | number | boolean } = {}): CompiledQuery[] {
    if (!field.hasColumn) return [];
    const { table } = model.meta;
    const out: CompiledQuery[] = [];
    const alter = this.#ddl.schema.alterTable(table).addColumn(field.column, sql.raw(field.dbType(this.dialect)), (col) => {
      let c = col;
      if (!field.isNullable) {
        if (options.backfill === undefined) {
          throw new ImproperlyConfigured(`Adding NOT NULL field ${model.name}.${field.name} needs a backfill value for existing rows (or { null: true }).`);
        }
        c = c.notNull().defaultTo(sql.lit(options.backfill));
      }
      if (field instanceof ForeignKey && field.options.dbConstraint !== false) {
        c = c.references(`${field.target.meta.table}.${field.target.meta.pk.column}`).onDelete('no action').modifyEnd(sql`deferrable initially deferred`);
      }
      return c;
    });
    out.push(alter.compile());
    if (!field.isNullable && options.backfill !== undefined && this.dialect === 'postgres') {
      // The backfill default was only for existing rows: the ORM applies defaults.
      out.push(this.#ddl.schema.alterTable(table).alterColumn(field.column, (col) => col.dropDefault()).compile());
    }
    if (field.isUnique) out.push(this.#ddl.schema.createIndex(uniqueName(table, field.column)).on(table).column(field.column).unique().compile());
    else if (field.options.index || field instanceof ForeignKey) out.push(this.#ddl.schema.createIndex(indexName(table, field.column)).on(table).column(field.column).compile());
    return out;
  }

  /** DROP COLUMN (SQLite >= 3.35; indexes on the column are dropped first). */
  removeField(model: AnyModel, field: AnyField): CompiledQuery[] {
    if (!field.hasColumn) return [];
    const { table } = model.meta;
    const out: CompiledQuery[] = [];
    if (this.dialect === 'sqlite') {
      out.push(this.#ddl.schema.dropIndex(indexName(table, field.column)).ifExists().compile());
      out.push(this.#ddl.schema.dropIndex(uniqueName(table, field.column)).ifExists().compile());
    }
    out.push(this.#ddl.schema.alterTable(table).dropColumn(field.column).compile());
    return out;
  }

  /** RENAME COLUMN. */
  renameField(model: AnyModel, from: AnyField, to: AnyField): CompiledQuery[] {
    if (from.column === to.column || !from.hasColumn) return [];
    return [this.#ddl.schema.alterTable(model.meta.table).renameColumn(from.column, to.column).compile()];
  }

  /** Run statements in order through `executor` (a root Kysely or a transaction). */
  async execute(statements: readonly CompiledQuery[], executor: Kysely<any>): Promise<void> {
    for (const statement of statements) await executor.executeQuery(statement);
  }

  #addColumn(builder: CreateTableBuilder<string, string>, field: AnyField): CreateTableBuilder<string, string> {
    const type = sql.raw(field.dbType(this.dialect));
    if (field.kind === 'autoField') {
      return this.dialect === 'postgres'
        ? builder.addColumn(field.column, type, (col) => col.primaryKey().generatedByDefaultAsIdentity())
        : builder.addColumn(field.column, sql.raw('integer'), (col) => col.primaryKey().autoIncrement());
    }
    return builder.addColumn(field.column, type, (col) => {
      let c = col;
      if (field.isPrimaryKey) c = c.primaryKey();
      if (!field.isNullable || field.isPrimaryKey) c = c.notNull();
      return c;
    });
  }

  #constrainedForeignKeys(model: AnyModel): ForeignKey[] {
    return model.meta.foreignKeys.filter((field) => field.options.dbConstraint !== false);
  }

  #indexes(model: AnyModel): CompiledQuery[] {
    const { table } = model.meta;
    const out: CompiledQuery[] = [];
    for (const field of model.meta.columnFields) {
      if (field.isUnique) continue;
      if (field.options.index || field instanceof ForeignKey) {
        out.push(this.#ddl.schema.createIndex(indexName(table, field.column)).on(table).column(field.column).compile());
      }
    }
    for (const index of model.meta.indexes) {
      let builder = this.#ddl.schema.createIndex(ddlName(index.name)).on(table).columns(this.#columns(model, index.fields, index.name));
      if (index.unique) builder = builder.unique();
      out.push(builder.compile());
    }
    return out;
  }

  #columns(model: AnyModel, names: readonly string[], where: string): string[] {
    return names.map((name) => {
      const field = model.meta.fieldMap.get(name);
      if (!field || !field.hasColumn) throw new ImproperlyConfigured(`${where} on ${model.name} names '${name}', which is not a column field of the model.`);
      return field.column;
    });
  }
}

/**
 * The SQL text of CREATE TABLE and its indexes for a model (what
 * `sqlmigrate` shows for a CreateModel operation).
 * @example
 * sqlForCreateModel(Post, 'sqlite'); // ['create table "blog_post" (...)', 'create index ...']
 */
export function sqlForCreateModel(model: AnyModel, dialect: Dialect): string[] {
  return new SchemaEditor(dialect).createModel(model).map((statement) => statement.sql);
}
