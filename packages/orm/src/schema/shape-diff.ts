import type { CheckShape, ColumnShape, IndexShape, ReferenceShape, TableShape } from './table-shape.js';

/** A database object attached to a table, besides its columns. */
export type TableObject =
  | { readonly kind: 'primaryKey'; readonly name: string; readonly columns: readonly string[] }
  | { readonly kind: 'unique'; readonly name: string; readonly columns: readonly string[] }
  | { readonly kind: 'check'; readonly name: string; readonly check: CheckShape }
  | { readonly kind: 'foreignKey'; readonly name: string; readonly column: string; readonly ref: ReferenceShape }
  | { readonly kind: 'index'; readonly name: string; readonly index: IndexShape };

export interface ColumnPair {
  readonly from: ColumnShape;
  readonly to: ColumnShape;
}

/**
 * What changes between two shapes of one table: columns kept (possibly
 * renamed or altered), added and removed, and objects dropped, added or only
 * renamed. Built once; the PostgreSQL and SQLite alteration compilers turn it
 * into statements.
 */
export interface ShapeDiff {
  readonly from: TableShape;
  readonly to: TableShape;
  readonly kept: readonly ColumnPair[];
  readonly renamed: readonly ColumnPair[];
  /** Kept columns whose type, nullability, primary key or auto-increment differ. */
  readonly altered: readonly ColumnPair[];
  readonly added: readonly ColumnShape[];
  readonly removed: readonly ColumnShape[];
  readonly droppedObjects: readonly TableObject[];
  readonly addedObjects: readonly TableObject[];
  readonly renamedObjects: ReadonlyArray<{ readonly from: TableObject; readonly to: TableObject }>;
}

/**
 * Compare two shapes of one table. `renames` maps old column names to new
 * ones (a renamed field); any other column is matched by name.
 * @example
 * const diff = diffShapes(before, after, new Map([['titel', 'title']]));
 * diff.renamed.length; // 1
 */
export function diffShapes(from: TableShape, to: TableShape, renames: ReadonlyMap<string, string> = new Map()): ShapeDiff {
  const mapColumn = (name: string): string => renames.get(name) ?? name;
  const newByName = new Map(to.columns.map((c) => [c.name, c]));
  const kept: ColumnPair[] = [];
  const removed: ColumnShape[] = [];
  const matched = new Set<string>();
  for (const column of from.columns) {
    const partner = newByName.get(mapColumn(column.name));
    if (partner && !matched.has(partner.name)) {
      kept.push({ from: column, to: partner });
      matched.add(partner.name);
    } else {
      removed.push(column);
    }
  }
  const added = to.columns.filter((c) => !matched.has(c.name));
  const renamed = kept.filter((pair) => pair.from.name !== pair.to.name);
  const altered = kept.filter((pair) => columnChanged(pair.from, pair.to));

  const oldObjects = tableObjects(from, mapColumn);
  const newObjects = tableObjects(to, (name) => name);
  const droppedObjects: TableObject[] = [];
  const renamedObjects: Array<{ from: TableObject; to: TableObject }> = [];
  const remaining = [...newObjects];
  const take = (predicate: (candidate: { object: TableObject; key: string }) => boolean): { object: TableObject; key: string } | undefined => {
    const at = remaining.findIndex(predicate);
    return at < 0 ? undefined : remaining.splice(at, 1)[0];
  };
  const unmatched: Array<{ object: TableObject; key: string }> = [];
  // Same definition and name first, so a rename pairs only what is left.
  for (const old of oldObjects) {
    if (!take((c) => c.key === old.key && c.object.name === old.object.name)) unmatched.push(old);
  }
  for (const old of unmatched) {
    const partner = take((c) => c.key === old.key);
    if (partner) renamedObjects.push({ from: old.object, to: partner.object });
    else droppedObjects.push(old.object);
  }
  return {
    from,
    to,
    kept,
    renamed,
    altered,
    added,
    removed,
    // Objects keep their old column names: they are dropped before columns are renamed.
    droppedObjects,
    addedObjects: remaining.map((c) => c.object),
    renamedObjects,
  };
}

function columnChanged(a: ColumnShape, b: ColumnShape): boolean {
  return a.type !== b.type || a.nullable !== b.nullable || a.primaryKey !== b.primaryKey || a.autoIncrement !== b.autoIncrement;
}

/**
 * Objects of a shape with a definition key (columns passed through `mapColumn`,
 * so an index on a renamed column still matches).
 */
function tableObjects(shape: TableShape, mapColumn: (name: string) => string): Array<{ object: TableObject; key: string }> {
  const cache = objectCache.get(shape) ?? buildObjects(shape);
  objectCache.set(shape, cache);
  return cache.map((object) => ({ object, key: objectKey(object, mapColumn) }));
}

const objectCache = new WeakMap<TableShape, TableObject[]>();

function buildObjects(shape: TableShape): TableObject[] {
  const out: TableObject[] = [];
  const pk = shape.columns.filter((c) => c.primaryKey).map((c) => c.name);
  if (pk.length > 0) out.push({ kind: 'primaryKey', name: shape.primaryKeyName, columns: pk });
  for (const unique of shape.uniques) out.push({ kind: 'unique', name: unique.name, columns: unique.columns });
  for (const check of shape.checks) out.push({ kind: 'check', name: check.name, check });
  for (const column of shape.columns) {
    if (column.references) out.push({ kind: 'foreignKey', name: column.references.name, column: column.name, ref: column.references });
  }
  for (const index of shape.indexes) out.push({ kind: 'index', name: index.name, index });
  return out;
}

function objectKey(object: TableObject, mapColumn: (name: string) => string): string {
  const cols = (columns: readonly string[]): string => columns.map(mapColumn).join(',');
  switch (object.kind) {
    case 'primaryKey':
      return `p|${cols(object.columns)}`;
    case 'unique':
      return `u|${cols(object.columns)}`;
    case 'check':
      // A check's text names columns, so it is only ever kept as is or replaced.
      return `c|${object.name}|${object.check.sql}`;
    case 'foreignKey':
      return `f|${mapColumn(object.column)}|${object.ref.table}|${object.ref.column}`;
    case 'index':
      return `i|${object.index.unique}|${cols(object.index.columns)}`;
  }
}

/** True for objects SQLite keeps inside CREATE TABLE (changing them needs a table rebuild). */
export function isInlineOnSqlite(object: TableObject): boolean {
  return object.kind !== 'index';
}
