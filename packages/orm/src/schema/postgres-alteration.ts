import type { CompiledQuery } from 'kysely';
import { steps, type Alteration, type AlterationOptions, type AlterationStep } from './alteration.js';
import { typeChangeRewrites, type SchemaEffect } from './schema-effect.js';
import type { ShapeDiff, TableObject } from './shape-diff.js';
import type { TableDdl } from './table-ddl.js';

/**
 * The ALTER statements that take a PostgreSQL table from `diff.from` to
 * `diff.to`, in an order that always works: drop what goes away, rename,
 * drop and add columns, change column definitions, then rename and add
 * constraints and indexes (so they see the final columns).
 */
export function alterPostgresTable(ddl: TableDdl, diff: ShapeDiff, options: AlterationOptions): Alteration {
  const statements: CompiledQuery[] = [];
  const effects: SchemaEffect[] = [];
  const renames: AlterationStep[] = [];
  const { from, to } = diff;

  for (const object of diff.droppedObjects) statements.push(dropObject(ddl, from.table, object));
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
    const backfill = options.backfill.get(column.name);
    const filled = !column.nullable && backfill !== undefined && backfill !== null;
    // An auto key gets its identity below, like an altered column.
    statements.push(ddl.addColumn(table, { ...column, autoIncrement: false }, filled ? backfill : undefined));
    // The default only filled existing rows: the ORM applies defaults itself.
    if (filled) statements.push(ddl.dropDefault(table, column.name));
    if (column.autoIncrement) statements.push(...ddl.setIdentity(table, column.name, true));
    effects.push({ kind: 'addColumn', table, column: column.name, notNull: !column.nullable, backfill: filled });
  }
  for (const { from: a, to: b } of diff.altered) {
    if (a.autoIncrement && !b.autoIncrement) statements.push(...ddl.setIdentity(table, b.name, false));
    if (a.type !== b.type) {
      statements.push(ddl.alterColumnType(table, b.name, b.type));
      effects.push({ kind: 'alterColumnType', table, column: b.name, from: a.type, to: b.type, rewrite: typeChangeRewrites(a.type, b.type) });
    }
    const wasNotNull = !a.nullable || a.primaryKey;
    const isNotNull = !b.nullable || b.primaryKey;
    if (wasNotNull !== isNotNull && !(b.primaryKey && !a.primaryKey)) {
      if (isNotNull) {
        const fill = options.backfill.get(b.name);
        if (fill !== undefined && fill !== null) statements.push(ddl.fillNulls(table, b.name, fill));
        statements.push(ddl.setNotNull(table, b.name, true));
        effects.push({ kind: 'setNotNull', table, column: b.name });
      } else {
        statements.push(ddl.setNotNull(table, b.name, false));
      }
    }
    if (!a.autoIncrement && b.autoIncrement) statements.push(...ddl.setIdentity(table, b.name, true));
  }
  for (const { from: a, to: b } of diff.renamedObjects) {
    // ALTER INDEX renames a unique constraint together with its index.
    const byIndex = a.kind === 'index' || a.kind === 'unique' || a.kind === 'primaryKey';
    renames.push({
      statements: [byIndex ? ddl.renameIndex(a.name, b.name) : ddl.renameConstraint(table, a.name, b.name)],
      onlyIfExists: { kind: byIndex ? 'index' : 'constraint', name: a.name, table },
    });
  }
  const additions: CompiledQuery[] = [];
  for (const object of diff.addedObjects) {
    additions.push(addObject(ddl, table, object, options.concurrently === true));
    effects.push(
      object.kind === 'index'
        ? { kind: 'createIndex', table, name: object.name, unique: object.index.unique, concurrently: options.concurrently === true }
        : { kind: 'addConstraint', table, name: object.name, constraint: object.kind },
    );
  }
  return { steps: [...steps(statements), ...renames, ...steps(additions)], effects };
}

function dropObject(ddl: TableDdl, table: string, object: TableObject): CompiledQuery {
  return object.kind === 'index' ? ddl.dropIndex(object.name) : ddl.dropConstraint(table, object.name);
}

function addObject(ddl: TableDdl, table: string, object: TableObject, concurrently: boolean): CompiledQuery {
  switch (object.kind) {
    case 'primaryKey':
      return ddl.addPrimaryKey(table, object.name, object.columns[0]!);
    case 'unique':
      return ddl.addUnique(table, object.name, object.columns);
    case 'check':
      return ddl.addCheck(table, object.check);
    case 'foreignKey':
      return ddl.addForeignKey(table, object.column, object.ref);
    case 'index':
      return ddl.createIndex(table, object.index, { concurrently });
  }
}
