import type { Kysely } from 'kysely';
import type { AnyField, Dialect } from '../fields/field.js';
import type { AnyModel } from '../model/model.js';
import type { Constraint, IndexDefinition } from '../model/model-meta.js';

/**
 * What migration operations ask of the schema editor (implemented in
 * schema/ for both dialects). Operations pass historical models rendered
 * from the migration state (`state.renderModels().get(...)`); the editor
 * turns each call into DDL and either runs it in the migration's
 * transaction or, when `collectOnly` (sqlmigrate, `migrate --plan`), only
 * records the statements.
 *
 * Auto-created many-to-many join models are recognisable by
 * `join.meta.autoCreatedFor === field` (historical ones are linked through
 * `field.m2m.through`, see state/historical-models.ts): createModel and
 * deleteModel create/drop them with their model; addField/removeField of
 * a many-to-many field create/drop the join table.
 */
export interface MigrationSchemaEditor {
  readonly dialect: Dialect;
  /** The database alias being migrated. */
  readonly alias: string;
  /** True when statements are only collected (nothing runs; RunCode does not run). */
  readonly collectOnly: boolean;
  /** Executor of the migration's transaction, handed to RunCode. */
  readonly db: Kysely<any>;

  /** CREATE TABLE with columns, keys, unique/check constraints, foreign keys and indexes, plus auto-created join tables. */
  createModel(model: AnyModel): Promise<void>;
  /** DROP TABLE, plus the model's auto-created join tables. */
  deleteModel(model: AnyModel): Promise<void>;
  /**
   * Add the column of `field` (already attached to `model`). A NOT NULL
   * column is filled in existing rows with `field.getDefault()` (operations
   * put the one-off backfill there); a many-to-many field creates its join table.
   */
  addField(model: AnyModel, field: AnyField): Promise<void>;
  /** Drop the column (or the join table of a many-to-many field). */
  removeField(model: AnyModel, field: AnyField): Promise<void>;
  /**
   * Change a column from `oldField` to `newField` (type, NULL, unique,
   * index, foreign key, column name); nothing when no database-level part
   * differs. Going NOT NULL, existing NULLs become `newField.getDefault()`
   * when it has a default. Two many-to-many fields: the join table follows.
   */
  alterField(model: AnyModel, oldField: AnyField, newField: AnyField): Promise<void>;
  /** Rename the column of `oldField` to the column of `newField` (a many-to-many field: its join table). */
  renameField(model: AnyModel, oldField: AnyField, newField: AnyField): Promise<void>;
  /** Rename a table (`model` is the model after the change). */
  alterTable(model: AnyModel, oldTable: string, newTable: string): Promise<void>;
  /**
   * Everything that differs between two versions of one table, columns
   * matched by name or through `renames` (old column -> new column): used
   * for join tables whose name and key columns change together.
   */
  alterModel(fromModel: AnyModel, toModel: AnyModel, options?: { renames?: ReadonlyMap<string, string> }): Promise<void>;
  addIndex(model: AnyModel, index: IndexDefinition): Promise<void>;
  removeIndex(model: AnyModel, index: IndexDefinition): Promise<void>;
  addConstraint(model: AnyModel, constraint: Constraint): Promise<void>;
  removeConstraint(model: AnyModel, constraint: Constraint): Promise<void>;
  /** Run (or collect) one raw SQL statement: RunSQL. */
  executeSql(statement: string): Promise<void>;
  /** A note shown among collected statements (`-- ...` in sqlmigrate); ignored when executing. */
  comment(text: string): void;
}
