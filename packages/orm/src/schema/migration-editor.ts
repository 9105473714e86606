import { sql, type CompiledQuery, type Kysely } from 'kysely';
import { ImproperlyConfigured } from '@atrium/core';
import type { AnyField, Dialect } from '../fields/field.js';
import { ManyToManyField } from '../fields/relation-fields.js';
import type { AnyModel } from '../model/model.js';
import type { Constraint, IndexDefinition } from '../model/model-meta.js';
import { connection } from '../db/connections.js';
import { OrmUsageError } from '../errors.js';
import type { MigrationSchemaEditor } from '../migrations/migration-schema-editor.js';
import type { Alteration, AlterationStep, ObjectRef } from './alteration.js';
import { alterPostgresTable } from './postgres-alteration.js';
import type { SchemaEffect } from './schema-effect.js';
import { diffShapes, type ShapeDiff } from './shape-diff.js';
import { alterSqliteTable, needsRebuild } from './sqlite-alteration.js';
import { ddlCompiler } from './ddl-compiler.js';
import { TableDdl } from './table-ddl.js';
import { derivedIndexName, rederive, replaceField, withField, withoutField } from './shape-parts.js';
import { joinTableShape, modelParts, shapeOf, type TableShape } from './table-shape.js';

export interface MigrationEditorOptions {
  dialect: Dialect;
  /**
   * Run statements through this executor (the migration's transaction). Leave
   * it out to only collect them (`sqlmigrate`, the safety linter).
   */
  executor?: Kysely<any> | null;
  /** Database alias (raw multi-statement SQL on SQLite goes through its handle). Default 'default'. */
  alias?: string;
}

/** A model index, as operations describe it (a name is derived when missing, as model() does). */
export interface IndexInput {
  name?: string;
  fields: readonly string[];
  unique?: boolean;
}

export interface AlterOptions {
  /** Old column name -> new column name. */
  renames?: ReadonlyMap<string, string>;
  /**
   * Values for existing rows by field name (JS values, converted with the
   * field's toDb), for new NOT NULL columns and columns becoming NOT NULL;
   * default: the new field's default.
   */
  backfill?: ReadonlyMap<string, unknown>;
  /** PostgreSQL: create indexes with CONCURRENTLY (only in a migration with `atomic: false`). */
  concurrently?: boolean;
}

/**
 * The schema-changing half of migration operations: each method compiles the
 * DDL for one change on the editor's dialect and runs it through the
 * migration's executor, or only records it in collect mode. Every statement
 * is kept in `statements` and what it does in `effects` (read by the safety
 * linter).
 *
 * Methods accept the model of either side of a change: `addField(model,
 * field)` works whether `model` already has `field` or not, and so on, so an
 * operation can pass its from-state or to-state model. Models are historical
 * models rendered from a migration state (or real ones).
 *
 * SQLite cannot ALTER most things: such changes rebuild the table (see
 * `alterSqliteTable`), which needs foreign key enforcement off — the
 * migration executor and `withSchemaEditor()` arrange that.
 *
 * Names of indexes and constraints derive from table and column names (as
 * CREATE TABLE gives them), so renaming a table or column renames them too.
 * When both versions of a model are at hand, `alterModel(fromModel,
 * toModel, { renames })` applies every difference in one exact step — the
 * best call for join tables whose table and key columns change together
 * (a renamed model): `alterTable` then `renameField` also works, but derived
 * names renamed in two steps may keep their old names (harmless; a rename
 * whose old name is missing is skipped).
 * @example
 * const editor = new MigrationEditor({ dialect: 'sqlite' }); // collect only
 * await editor.addField(Post, Post.meta.fieldMap.get('slug')!);
 * editor.statements.map((s) => s.sql);
 */
export class MigrationEditor implements MigrationSchemaEditor {
  readonly dialect: Dialect;
  readonly alias: string;
  /** True when statements are only collected, never run. */
  readonly collectOnly: boolean;
  /** Every statement run (or collected), in order. */
  readonly statements: CompiledQuery[] = [];
  /** Statements and comments in order: what `sqlmigrate` prints. */
  readonly log: Array<{ readonly kind: 'sql'; readonly sql: string } | { readonly kind: 'comment'; readonly text: string }> = [];
  /** What the statements do, in order. */
  readonly effects: SchemaEffect[] = [];
  readonly ddl: TableDdl;
  readonly #executor: Kysely<any> | null;

  constructor(options: MigrationEditorOptions) {
    this.dialect = options.dialect;
    this.alias = options.alias ?? 'default';
    this.#executor = options.executor ?? null;
    this.collectOnly = this.#executor === null;
    this.ddl = new TableDdl(options.dialect);
  }

  /** The executor of the migration's transaction (for RunCode); there is none when only collecting. */
  get db(): Kysely<any> {
    if (!this.#executor) throw new OrmUsageError('This schema editor only collects SQL (sqlmigrate, migrate --plan); it has no database to run code against.');
    return this.#executor;
  }

  /** Run (or collect) compiled statements in order. */
  async execute(statements: CompiledQuery | readonly CompiledQuery[]): Promise<void> {
    const list = Array.isArray(statements) ? (statements as readonly CompiledQuery[]) : [statements as CompiledQuery];
    for (const statement of list) {
      this.statements.push(statement);
      this.log.push({ kind: 'sql', sql: statement.sql });
      if (this.#executor) await this.#executor.executeQuery(statement);
    }
  }

  /** A note among the collected statements (`-- text` in sqlmigrate); nothing runs. */
  comment(text: string): void {
    this.log.push({ kind: 'comment', text });
  }

  /** One raw SQL text of a RunSQL operation (see `runSql`). */
  async executeSql(statement: string): Promise<void> {
    await this.runSql(statement);
  }

  /**
   * Raw SQL from a RunSQL operation. Without parameters the text may hold
   * several statements (PostgreSQL's simple protocol; SQLite's exec()).
   */
  async runSql(text: string, parameters: readonly unknown[] = []): Promise<void> {
    const statement = sql.raw(text).compile(ddlCompiler(this.dialect));
    const compiled: CompiledQuery = parameters.length > 0 ? { ...statement, parameters } : statement;
    this.statements.push(compiled);
    this.log.push({ kind: 'sql', sql: text });
    this.effects.push({ kind: 'rawSql', sql: text });
    if (!this.#executor) return;
    if (this.dialect === 'sqlite' && parameters.length === 0) {
      // better-sqlite3 prepares one statement at a time; exec() runs a script on the same connection (inside the transaction).
      const handle = connection(this.alias).sqlite;
      if (handle) {
        handle.exec(text);
        return;
      }
    }
    await this.#executor.executeQuery(compiled);
  }

  /** CREATE TABLE for the model, its indexes, and the join tables of its auto-created many-to-many fields. */
  async createModel(model: AnyModel): Promise<void> {
    await this.#createTable(shapeOf(modelParts(model), this.dialect));
    for (const field of model.meta.manyToMany) {
      const join = joinTableShape(field, this.dialect);
      if (join) await this.#createTable(join);
    }
  }

  /** DROP TABLE for the model and its auto-created join tables (CASCADE on PostgreSQL, dropping foreign keys that point at it). */
  async deleteModel(model: AnyModel): Promise<void> {
    for (const field of model.meta.manyToMany) {
      const join = joinTableShape(field, this.dialect);
      if (join) await this.#dropTable(join.table);
    }
    await this.#dropTable(model.meta.table);
  }

  /**
   * Add a field: a column (existing rows get `backfill`, else the field's
   * default, else NULL) or, for a many-to-many field, its join table.
   */
  async addField(model: AnyModel, field: AnyField, options: { backfill?: unknown } = {}): Promise<void> {
    if (field instanceof ManyToManyField) {
      const join = joinTableShape(field, this.dialect);
      if (join) await this.#createTable(join);
      return;
    }
    const parts = modelParts(model);
    const backfill = new Map<string, unknown>();
    const value = backfillValue(field, options.backfill, this.dialect);
    if (value !== undefined) backfill.set(field.column, value);
    await this.#alter(shapeOf(withoutField(parts, field.name), this.dialect), shapeOf(withField(parts, field), this.dialect), { backfill });
  }

  /** Drop a field's column (or a many-to-many field's join table). */
  async removeField(model: AnyModel, field: AnyField): Promise<void> {
    if (field instanceof ManyToManyField) {
      const join = joinTableShape(field, this.dialect);
      if (join) await this.#dropTable(join.table);
      return;
    }
    const parts = modelParts(model);
    await this.#alter(shapeOf(withField(parts, field), this.dialect), shapeOf(withoutField(parts, field.name), this.dialect), {});
  }

  /**
   * Change a field's definition: type, null, unique, index, foreign key
   * target, column name (nothing when no database-level part differs).
   * Making a column NOT NULL fills its NULLs with `backfill`, else the new
   * field's default.
   */
  async alterField(model: AnyModel, oldField: AnyField, newField: AnyField, options: { backfill?: unknown } = {}): Promise<void> {
    const oldM2m = oldField instanceof ManyToManyField;
    const newM2m = newField instanceof ManyToManyField;
    if (oldM2m || newM2m) {
      if (!oldM2m || !newM2m) {
        throw new ImproperlyConfigured(
          `Cannot alter ${model.name}.${oldField.name} between a many-to-many field and a column field; remove the old field and add a new one in separate operations.`,
        );
      }
      await this.#alterJoinTable(model, oldField, newField);
      return;
    }
    const parts = modelParts(model);
    const columnRenames = new Map<string, string>();
    if (oldField.column !== newField.column) columnRenames.set(oldField.column, newField.column);
    const backfill = new Map<string, unknown>();
    if (oldField.isNullable && !newField.isNullable) {
      const value = backfillValue(newField, options.backfill, this.dialect);
      if (value !== undefined) backfill.set(newField.column, value);
    }
    // Constraints and indexes of the model name the field as the model's side has it.
    const modelHasNew = oldField.name !== newField.name && parts.fields.some((f) => f.name === newField.name);
    const fromParts = replaceField(parts, newField.name, oldField);
    const toParts = replaceField(parts, oldField.name, newField);
    const from = modelHasNew ? rederive(fromParts, parts.table, new Map([[newField.name, oldField.name]])) : fromParts;
    const to = !modelHasNew && oldField.name !== newField.name ? rederive(toParts, parts.table, new Map([[oldField.name, newField.name]])) : toParts;
    await this.#alter(shapeOf(from, this.dialect), shapeOf(to, this.dialect), { renames: columnRenames, backfill });
  }

  /** Rename a field's column (or a many-to-many field's join table); indexes and constraints named after it follow. */
  async renameField(model: AnyModel, oldField: AnyField, newField: AnyField): Promise<void> {
    await this.alterField(model, oldField, newField);
  }

  /** Rename the model's table (`model` is either side), and the index and constraint names derived from it. */
  async alterTable(model: AnyModel, oldTable: string, newTable: string): Promise<void> {
    if (oldTable === newTable) return;
    const parts = modelParts(model);
    await this.#alter(shapeOf(rederive(parts, oldTable), this.dialect), shapeOf(rederive(parts, newTable), this.dialect), {});
  }

  /**
   * RenameModel / AlterModelTable in one call: the table (from `fromModel`'s
   * to `toModel`'s), derived names, and the model's own auto-created join
   * tables (their names and key columns derive from the model).
   */
  async renameModel(fromModel: AnyModel, toModel: AnyModel): Promise<void> {
    await this.alterModel(fromModel, toModel);
    const byName = new Map(toModel.meta.manyToMany.map((field) => [field.name, field]));
    for (const oldField of fromModel.meta.manyToMany) {
      const newField = byName.get(oldField.name);
      if (newField) await this.#alterJoinTable(toModel, oldField, newField);
    }
  }

  /**
   * Everything that differs between two versions of a model's table (columns
   * matched by name, or through `renames`): exact, since both sides are
   * known. For AlterModelOptions, join tables of renamed models, and any
   * change the other methods do not name.
   */
  async alterModel(fromModel: AnyModel, toModel: AnyModel, options: AlterOptions = {}): Promise<void> {
    const renames = options.renames ?? new Map<string, string>();
    const backfill = new Map<string, unknown>();
    // Existing rows of a new NOT NULL column, and NULLs of a column becoming NOT NULL, get the new field's default.
    const oldColumns = new Map(fromModel.meta.columnFields.map((field) => [renames.get(field.column) ?? field.column, field]));
    for (const field of toModel.meta.columnFields) {
      const old = oldColumns.get(field.column);
      if (old && !(old.isNullable && !field.isNullable)) continue;
      const value = backfillValue(field, options.backfill?.get(field.name), this.dialect);
      if (value !== undefined) backfill.set(field.column, value);
    }
    await this.#alter(shapeOf(modelParts(fromModel), this.dialect), shapeOf(modelParts(toModel), this.dialect), {
      renames,
      backfill,
      ...(options.concurrently ? { concurrently: true } : {}),
    });
  }

  /** CREATE INDEX for a model index (`concurrently` on PostgreSQL needs a migration with `atomic: false`). */
  async addIndex(model: AnyModel, index: IndexInput, options: { concurrently?: boolean } = {}): Promise<void> {
    const parts = modelParts(model);
    const definition = indexDefinition(parts.table, index);
    const others = parts.indexes.filter((i) => i.name !== definition.name);
    await this.#alter(shapeOf({ ...parts, indexes: others }, this.dialect), shapeOf({ ...parts, indexes: [...others, definition] }, this.dialect), options);
  }

  /** DROP INDEX for a model index. */
  async removeIndex(model: AnyModel, index: IndexInput): Promise<void> {
    const parts = modelParts(model);
    const definition = indexDefinition(parts.table, index);
    const others = parts.indexes.filter((i) => i.name !== definition.name);
    await this.#alter(shapeOf({ ...parts, indexes: [...others, definition] }, this.dialect), shapeOf({ ...parts, indexes: others }, this.dialect), {});
  }

  /** Add a unique or check constraint (a table rebuild on SQLite). */
  async addConstraint(model: AnyModel, constraint: Constraint): Promise<void> {
    const parts = modelParts(model);
    const others = parts.constraints.filter((c) => c.name !== constraint.name);
    await this.#alter(shapeOf({ ...parts, constraints: others }, this.dialect), shapeOf({ ...parts, constraints: [...others, constraint] }, this.dialect), {});
  }

  /** Drop a unique or check constraint (a table rebuild on SQLite). */
  async removeConstraint(model: AnyModel, constraint: Constraint): Promise<void> {
    const parts = modelParts(model);
    const others = parts.constraints.filter((c) => c.name !== constraint.name);
    await this.#alter(shapeOf({ ...parts, constraints: [...others, constraint] }, this.dialect), shapeOf({ ...parts, constraints: others }, this.dialect), {});
  }

  /**
   * Apply the difference between two table shapes (the primitive behind
   * every method above). Here `backfill` is keyed by column and holds driver
   * values (already converted with toDb).
   */
  async alterShape(from: TableShape, to: TableShape, options: AlterOptions = {}): Promise<void> {
    await this.#alter(from, to, { renames: options.renames ?? new Map(), backfill: options.backfill ?? new Map(), ...(options.concurrently ? { concurrently: true } : {}) });
  }

  async #alter(from: TableShape, to: TableShape, options: { renames?: ReadonlyMap<string, string>; backfill?: ReadonlyMap<string, unknown>; concurrently?: boolean }): Promise<void> {
    const diff = diffShapes(from, to, options.renames ?? new Map());
    const settings = { backfill: options.backfill ?? new Map<string, unknown>(), ...(options.concurrently ? { concurrently: true } : {}) };
    let alteration: Alteration;
    if (this.dialect === 'postgres') {
      alteration = alterPostgresTable(this.ddl, diff, settings);
    } else {
      if (needsRebuild(diff)) await this.#assertForeignKeysOff(diff);
      alteration = alterSqliteTable(this.ddl, diff, settings);
    }
    this.effects.push(...alteration.effects);
    for (const step of alteration.steps) await this.#runStep(step);
  }

  async #runStep(step: AlterationStep): Promise<void> {
    if (step.onlyIfExists && this.#executor && !(await this.#exists(step.onlyIfExists))) return;
    await this.execute(step.statements);
  }

  async #exists(ref: ObjectRef): Promise<boolean> {
    const run = this.#executor!;
    if (this.dialect === 'sqlite') {
      const { rows } = await sql`select 1 from sqlite_master where type = 'index' and name = ${ref.name}`.execute(run);
      return rows.length > 0;
    }
    const { rows } =
      ref.kind === 'index'
        ? await sql`select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relname = ${ref.name} and c.relkind = 'i' and n.nspname = current_schema()`.execute(run)
        : await sql`select 1 from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace where k.conname = ${ref.name} and c.relname = ${ref.table} and n.nspname = current_schema()`.execute(run);
    return rows.length > 0;
  }

  async #createTable(shape: TableShape): Promise<void> {
    this.effects.push({ kind: 'createTable', table: shape.table });
    await this.execute([this.ddl.createTable(shape), ...shape.indexes.map((index) => this.ddl.createIndex(shape.table, index))]);
  }

  async #dropTable(table: string): Promise<void> {
    this.effects.push({ kind: 'dropTable', table });
    const statement = this.dialect === 'postgres' ? this.ddl.compile(sql`drop table ${sql.table(table)} cascade`) : this.ddl.dropTable(table);
    await this.execute(statement);
  }

  async #alterJoinTable(model: AnyModel, oldField: ManyToManyField, newField: ManyToManyField): Promise<void> {
    const from = joinTableShape(oldField, this.dialect);
    const to = joinTableShape(newField, this.dialect);
    if (!from && !to) return;
    if (!from || !to) {
      throw new ImproperlyConfigured(
        `Cannot add or remove 'through' on ${model.name}.${newField.name}; remove the field and add a new one with the through model instead.`,
      );
    }
    // Columns pair by position: id, source key, target key.
    const renames = new Map<string, string>();
    from.columns.forEach((column, i) => {
      const partner = to.columns[i];
      if (partner && partner.name !== column.name) renames.set(column.name, partner.name);
    });
    await this.#alter(from, to, { renames });
  }

  /** A rebuild with enforcement on would fail at the drop (or silently break references); say how to fix it. */
  async #assertForeignKeysOff(diff: ShapeDiff): Promise<void> {
    if (!this.#executor) return;
    const { rows } = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(this.#executor);
    if (rows[0]?.foreign_keys === 1) {
      throw new OrmUsageError(
        `Changing table ${diff.from.table} on SQLite rebuilds it, which needs foreign key enforcement off, and it is on. Run schema changes through migrations (the executor turns enforcement off around each migration) or withSchemaEditor(), not inside atomic().`,
      );
    }
  }
}

function indexDefinition(table: string, index: IndexInput): IndexDefinition {
  const name = index.name ?? derivedIndexName(table, index.fields);
  return { name, fields: [...index.fields], ...(index.unique ? { unique: true } : {}) };
}

/**
 * The value existing rows get for a new NOT NULL column (or for NULLs of a
 * column becoming NOT NULL), as a driver value: the explicit backfill, else
 * the field's default (a default function is called once, like Django), else
 * now() for auto-time fields. Undefined when there is none (nullable fields
 * need none; on a non-empty table the database then refuses the change).
 */
function backfillValue(field: AnyField, explicit: unknown, dialect: Dialect): unknown {
  if (explicit !== undefined) return explicit === null ? undefined : field.toDb(explicit as never, dialect);
  if (field.isNullable) return undefined;
  if (field.options.default !== undefined) {
    const value = field.getDefault();
    return value === undefined || value === null ? undefined : field.toDb(value as never, dialect);
  }
  const timed = field as AnyField & { autoNow?: boolean; autoNowAdd?: boolean; now?: () => unknown };
  if ((timed.autoNow || timed.autoNowAdd) && typeof timed.now === 'function') return field.toDb(timed.now() as never, dialect);
  return undefined;
}
