import { sql, type Expression, type SqlBool } from 'kysely';
import type { AnyField, Dialect } from '../fields/field.js';
import { ForeignKey, resolveModelRef, type ManyToManyField } from '../fields/relation-fields.js';
import type { AnyModel } from '../model/model.js';
import type { Constraint, IndexDefinition } from '../model/model-meta.js';
import { ImproperlyConfigured } from '@atrium/core';
import { didYouMean, snakeCase } from '../naming.js';
import { compileCheck } from './check-condition.js';
import { ddlCompiler } from './ddl-compiler.js';
import { ddlName, foreignKeyName, indexName, uniqueName } from './ddl-names.js';

/** A foreign key constraint on one column (`DEFERRABLE INITIALLY DEFERRED`, no ON DELETE action). */
export interface ReferenceShape {
  readonly name: string;
  readonly table: string;
  readonly column: string;
}

/** One column as the database sees it. */
export interface ColumnShape {
  readonly name: string;
  /** The model field it stores (for messages and backfill defaults). */
  readonly field: AnyField | null;
  /** Column type for the dialect (`varchar(200)`, `bigint`...). */
  readonly type: string;
  readonly nullable: boolean;
  readonly primaryKey: boolean;
  /** Auto-increment primary key (identity on PostgreSQL, AUTOINCREMENT on SQLite). */
  readonly autoIncrement: boolean;
  readonly references: ReferenceShape | null;
}

export interface UniqueShape {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface CheckShape {
  readonly name: string;
  readonly expression: Expression<SqlBool>;
  /** The compiled condition, to compare two versions of a check. */
  readonly sql: string;
}

export interface IndexShape {
  readonly name: string;
  readonly columns: readonly string[];
  readonly unique: boolean;
}

/**
 * Everything the database holds for one table, derived from a model: the
 * intermediate form the schema editor compares (old shape vs new shape) to
 * decide which ALTER statements — or which SQLite table rebuild — a change
 * needs. Every name is derived deterministically from the model (as the
 * schema editor's CREATE TABLE names them), so no introspection is needed and
 * `sqlmigrate` works without a database.
 */
export interface TableShape {
  /** Model label, for messages ('blog.Post'). */
  readonly label: string;
  readonly table: string;
  readonly columns: readonly ColumnShape[];
  /** Name PostgreSQL gives the primary key constraint (`<table>_pkey`). */
  readonly primaryKeyName: string;
  /** Unique constraints (single unique fields, then the model's unique constraints). */
  readonly uniques: readonly UniqueShape[];
  readonly checks: readonly CheckShape[];
  /** Indexes created outside CREATE TABLE (`index: true` fields, foreign keys, model indexes). */
  readonly indexes: readonly IndexShape[];
}

/** What a table is built from: a model's column fields, constraints and indexes. */
export interface ShapeParts {
  readonly label: string;
  readonly table: string;
  /** Column fields in column order (many-to-many fields are ignored). */
  readonly fields: readonly AnyField[];
  readonly constraints: readonly Constraint[];
  readonly indexes: readonly IndexDefinition[];
}

/**
 * The parts of a model (concrete or historical), to change one piece and
 * build the shape again.
 */
export function modelParts(model: AnyModel): ShapeParts {
  const { meta } = model;
  return { label: model.name, table: meta.table, fields: meta.columnFields, constraints: meta.constraints, indexes: meta.indexes };
}

/**
 * The table shape of a model (concrete or historical) for `dialect`.
 * @example
 * tableShape(Post, 'postgres').columns.map((c) => c.name); // ['id', 'title', 'author_id']
 */
export function tableShape(model: AnyModel, dialect: Dialect): TableShape {
  return shapeOf(modelParts(model), dialect);
}

/** The table shape of `parts` (see `modelParts`). */
export function shapeOf(parts: ShapeParts, dialect: Dialect): TableShape {
  const { table } = parts;
  const fields = parts.fields.filter((field) => field.hasColumn);
  const fieldMap = new Map<string, AnyField>();
  for (const field of fields) {
    fieldMap.set(field.name, field);
    if (field instanceof ForeignKey) fieldMap.set(field.attname, field);
  }
  const columns = fields.map((field) => columnShape(table, field, dialect));
  const uniques: UniqueShape[] = [];
  const indexes: IndexShape[] = [];
  for (const field of fields) {
    if (field.isUnique && !field.isPrimaryKey) uniques.push({ name: uniqueName(table, field.column), columns: [field.column] });
    else if (!field.isUnique && (field.options.index || field instanceof ForeignKey)) indexes.push({ name: indexName(table, field.column), columns: [field.column], unique: false });
  }
  const checks: CheckShape[] = [];
  // compileCheck resolves field names through a model; a stand-in with these fields is enough.
  const standIn = { name: parts.label, meta: { fieldMap, columnFields: fields } } as unknown as AnyModel;
  for (const constraint of parts.constraints) {
    if (constraint.kind === 'unique') {
      uniques.push({ name: ddlName(constraint.name), columns: fieldColumns(parts, fieldMap, constraint.fields, `Constraint ${constraint.name}`) });
    } else {
      const expression = compileCheck(standIn, constraint.condition, dialect);
      checks.push({ name: ddlName(constraint.name), expression, sql: sql`${expression}`.compile(ddlCompiler(dialect)).sql });
    }
  }
  for (const index of parts.indexes) {
    indexes.push({ name: ddlName(index.name), columns: fieldColumns(parts, fieldMap, index.fields, `Index ${index.name}`), unique: index.unique === true });
  }
  return { label: parts.label, table, columns, primaryKeyName: postgresPrimaryKeyName(table), uniques, checks, indexes };
}

/** The column of a field in `table` for `dialect`. */
function columnShape(table: string, field: AnyField, dialect: Dialect): ColumnShape {
  const autoIncrement = field.kind === 'autoField';
  const references =
    field instanceof ForeignKey && field.options.dbConstraint !== false
      ? { name: foreignKeyName(table, field.column), table: field.target.meta.table, column: field.target.meta.pk.column }
      : null;
  return {
    name: field.column,
    field,
    type: autoIncrement ? (dialect === 'postgres' ? 'bigint' : 'integer') : field.dbType(dialect),
    nullable: field.isNullable && !field.isPrimaryKey,
    primaryKey: field.isPrimaryKey,
    autoIncrement,
    references,
  };
}

function fieldColumns(parts: ShapeParts, fieldMap: ReadonlyMap<string, AnyField>, names: readonly string[], where: string): string[] {
  return names.map((name) => {
    const field = fieldMap.get(name);
    if (!field) throw new ImproperlyConfigured(`${where} on ${parts.label} names '${name}', which is not a column field of the model${didYouMean(name, fieldMap.keys())}.`);
    return field.column;
  });
}

/**
 * The join table of an auto-created many-to-many field, computed from the
 * field alone — the same table `manyToManyLink()` builds a join model for,
 * without declaring a model (historical models must not touch the registry).
 * Historical models (migration state) link their auto-created join model
 * through `m2m.through`, marked by `meta.autoCreatedFor === field`: its shape
 * is used as is. Null for a field with a declared `through` model (its own
 * CreateModel makes that table).
 * @example
 * joinTableShape(Post.fields.tags, 'sqlite')?.table; // 'blog_post_tags'
 */
export function joinTableShape(field: ManyToManyField, dialect: Dialect): TableShape | null {
  if (field.m2m.through) {
    const through = resolveModelRef(field.m2m.through, field.model, field.name);
    return through.meta.autoCreatedFor === field ? tableShape(through, dialect) : null;
  }
  const source = field.model;
  const target = field.target;
  const self = source === target || source.name === target.name;
  const sourceName = self ? `from${source.meta.modelName}` : lowerFirst(source.meta.modelName);
  const targetName = self ? `to${target.meta.modelName}` : lowerFirst(target.meta.modelName);
  const table = field.m2m.dbTable ?? `${source.meta.table}_${field.column}`;
  const sourceColumn = `${snakeCase(sourceName)}_id`;
  const targetColumn = `${snakeCase(targetName)}_id`;
  const keyType = (pk: AnyField): string => (pk.kind === 'autoField' ? (dialect === 'postgres' ? 'bigint' : 'integer') : pk.dbType(dialect));
  const keyColumn = (name: string, to: AnyModel): ColumnShape => ({
    name,
    field: null,
    type: keyType(to.meta.pk),
    nullable: false,
    primaryKey: false,
    autoIncrement: false,
    references: { name: foreignKeyName(table, name), table: to.meta.table, column: to.meta.pk.column },
  });
  return {
    label: `${source.meta.appLabel}.${source.meta.modelName}_${field.name}`,
    table,
    columns: [
      { name: 'id', field: null, type: dialect === 'postgres' ? 'bigint' : 'integer', nullable: false, primaryKey: true, autoIncrement: true, references: null },
      keyColumn(sourceColumn, source),
      keyColumn(targetColumn, target),
    ],
    primaryKeyName: postgresPrimaryKeyName(table),
    uniques: [{ name: ddlName(`${table}_${snakeCase(sourceName)}_${snakeCase(targetName)}_uniq`), columns: [sourceColumn, targetColumn] }],
    checks: [],
    indexes: [
      { name: indexName(table, sourceColumn), columns: [sourceColumn], unique: false },
      { name: indexName(table, targetColumn), columns: [targetColumn], unique: false },
    ],
  };
}

/**
 * PostgreSQL names a column-level primary key `<table>_pkey`, cutting the
 * table name (not hashing it) to fit 63 bytes.
 */
function postgresPrimaryKeyName(table: string): string {
  let cut = table;
  while (Buffer.byteLength(cut) > 63 - '_pkey'.length) cut = cut.slice(0, -1);
  return `${cut}_pkey`;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
