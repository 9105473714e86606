import { sql, type CompiledQuery, type RawBuilder } from 'kysely';
import { steps, type Alteration, type AlterationOptions, type AlterationStep } from './alteration.js';
import type { SchemaEffect } from './schema-effect.js';
import { isInlineOnSqlite, type ShapeDiff } from './shape-diff.js';
import { sqlLiteral, type TableDdl } from './table-ddl.js';
import type { ColumnShape } from './table-shape.js';

/**
 * The statements that take a SQLite table from `diff.from` to `diff.to`.
 * SQLite's ALTER TABLE can rename a table or column, add a nullable column and
 * drop a plain one; anything else — a type, nullability or key change, a new
 * NOT NULL column, a constraint — rebuilds the table the way the SQLite
 * manual prescribes (https://www.sqlite.org/lang_altertable.html#otheralter):
 * create `new__<table>`, copy the rows, drop the old table, rename the new
 * one, recreate the indexes. Foreign key enforcement must be off meanwhile
 * (the migration executor turns it off around each migration and runs
 * `pragma foreign_key_check` before committing).
 */
export function alterSqliteTable(ddl: TableDdl, diff: ShapeDiff, options: AlterationOptions): Alteration {
  return needsRebuild(diff) ? rebuild(ddl, diff, options) : alterInPlace(ddl, diff);
}

/** True when the change is beyond SQLite's ALTER TABLE. */
export function needsRebuild(diff: ShapeDiff): boolean {
  if (diff.altered.length > 0) return true;
  const addedNames = new Set(diff.added.map((c) => c.name));
  const removedNames = new Set(diff.removed.map((c) => c.name));
  if (diff.added.some((column) => !column.nullable || column.primaryKey)) return true;
  // A foreign key on a new nullable column is declared inline by ADD COLUMN.
  if (diff.addedObjects.some((o) => isInlineOnSqlite(o) && !(o.kind === 'foreignKey' && addedNames.has(o.column)))) return true;
  if (diff.removed.some((column) => column.primaryKey || column.references !== null || usedInline(diff, column))) return true;
  // Objects of removed columns go with them; any other inline object change needs a rebuild.
  return diff.droppedObjects.some((o) => isInlineOnSqlite(o) && !(o.kind === 'foreignKey' && removedNames.has(o.column)));
}

/** A column named by a unique or check constraint cannot be dropped by ALTER TABLE. */
function usedInline(diff: ShapeDiff, column: ColumnShape): boolean {
  const quoted = `"${column.name}"`;
  return diff.from.uniques.some((u) => u.columns.includes(column.name)) || diff.from.checks.some((c) => c.sql.includes(quoted));
}

function alterInPlace(ddl: TableDdl, diff: ShapeDiff): Alteration {
  const statements: CompiledQuery[] = [];
  const effects: SchemaEffect[] = [];
  const { from, to } = diff;
  // Indexes go first (those of removed columns are among the dropped objects): SQLite refuses to drop an indexed column.
  for (const object of diff.droppedObjects) if (object.kind === 'index') statements.push(ddl.dropIndex(object.name));
  if (from.table !== to.table) {
    statements.push(ddl.renameTable(from.table, to.table));
    effects.push({ kind: 'renameTable', from: from.table, to: to.table });
  }
  const table = to.table;
  for (const { from: a, to: b } of diff.renamed) {
    statements.push(ddl.renameColumn(table, a.name, b.name));
    effects.push({ kind: 'renameColumn', table, from: a.name, to: b.name });
  }
  for (const column of diff.removed) {
    statements.push(ddl.dropColumn(table, column.name));
    effects.push({ kind: 'dropColumn', table, column: column.name });
  }
  for (const column of diff.added) {
    statements.push(ddl.addColumn(table, column));
    effects.push({ kind: 'addColumn', table, column: column.name, notNull: false, backfill: false });
  }
  // SQLite cannot rename an index: drop it and create it under the new name, after the columns changed.
  const renames: AlterationStep[] = [];
  for (const { from: old, to: renamed } of diff.renamedObjects) {
    if (old.kind !== 'index' || renamed.kind !== 'index') continue;
    renames.push({ statements: [ddl.dropIndex(old.name), ddl.createIndex(table, renamed.index)], onlyIfExists: { kind: 'index', name: old.name, table } });
  }
  const additions: CompiledQuery[] = [];
  for (const object of diff.addedObjects) {
    if (object.kind !== 'index') continue;
    additions.push(ddl.createIndex(table, object.index));
    effects.push({ kind: 'createIndex', table, name: object.name, unique: object.index.unique, concurrently: false });
  }
  return { steps: [...steps(statements), ...renames, ...steps(additions)], effects };
}

function rebuild(ddl: TableDdl, diff: ShapeDiff, options: AlterationOptions): Alteration {
  const { from, to } = diff;
  const temporary = `new__${to.table}`;
  const statements: CompiledQuery[] = [ddl.createTable(to, { table: temporary })];
  const effects: SchemaEffect[] = [{ kind: 'rebuildTable', table: to.table }];
  if (from.table !== to.table) effects.push({ kind: 'renameTable', from: from.table, to: to.table });

  const source = new Map(diff.kept.map((pair) => [pair.to.name, pair]));
  const targets: string[] = [];
  const values: RawBuilder<unknown>[] = [];
  for (const column of to.columns) {
    const pair = source.get(column.name);
    const fill = options.backfill.get(column.name);
    const hasFill = fill !== undefined && fill !== null;
    if (pair) {
      const old = sql.ref(pair.from.name);
      targets.push(column.name);
      values.push(hasFill && !column.nullable && pair.from.nullable ? sql`coalesce(${old}, ${sqlLiteral(fill)})` : sql`${old}`);
      if (pair.from.name !== column.name) effects.push({ kind: 'renameColumn', table: to.table, from: pair.from.name, to: column.name });
      if (pair.from.type !== column.type) effects.push({ kind: 'alterColumnType', table: to.table, column: column.name, from: pair.from.type, to: column.type, rewrite: true });
      if (pair.from.nullable && !column.nullable) effects.push({ kind: 'setNotNull', table: to.table, column: column.name });
    } else {
      effects.push({ kind: 'addColumn', table: to.table, column: column.name, notNull: !column.nullable, backfill: hasFill });
      // A new auto key numbers the copied rows itself.
      if (column.autoIncrement) continue;
      targets.push(column.name);
      values.push(hasFill ? sql`${sqlLiteral(fill)}` : sql`null`);
    }
  }
  for (const column of diff.removed) effects.push({ kind: 'dropColumn', table: to.table, column: column.name });

  const columnList = sql.join(targets.map((name) => sql.ref(name)));
  statements.push(ddl.compile(sql`insert into ${sql.table(temporary)} (${columnList}) select ${sql.join(values)} from ${sql.table(from.table)}`));
  const fromAuto = from.columns.some((c) => c.autoIncrement);
  const toAuto = to.columns.some((c) => c.autoIncrement);
  if (fromAuto && toAuto) {
    // Keep AUTOINCREMENT's high-water mark, so ids of deleted rows are never handed out again.
    statements.push(ddl.compile(sql`delete from sqlite_sequence where name = ${sql.lit(temporary)}`));
    statements.push(ddl.compile(sql`insert into sqlite_sequence (name, seq) select ${sql.lit(temporary)}, seq from sqlite_sequence where name = ${sql.lit(from.table)}`));
  }
  statements.push(ddl.dropTable(from.table));
  statements.push(ddl.renameTable(temporary, to.table));
  for (const index of to.indexes) statements.push(ddl.createIndex(to.table, index));
  for (const object of diff.addedObjects) {
    effects.push(
      object.kind === 'index'
        ? { kind: 'createIndex', table: to.table, name: object.name, unique: object.index.unique, concurrently: false }
        : { kind: 'addConstraint', table: to.table, name: object.name, constraint: object.kind },
    );
  }
  return { steps: steps(statements), effects };
}
