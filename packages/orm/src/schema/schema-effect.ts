/**
 * What a schema change does to the database, recorded by the migration
 * editor next to the SQL it runs (or collects). The safety linter reads
 * these instead of parsing SQL or knowing every operation class.
 */
export type SchemaEffect =
  | { readonly kind: 'createTable'; readonly table: string }
  | { readonly kind: 'dropTable'; readonly table: string }
  | { readonly kind: 'renameTable'; readonly from: string; readonly to: string }
  /** SQLite: the table is copied into a new one (create, copy rows, drop, rename). */
  | { readonly kind: 'rebuildTable'; readonly table: string }
  | { readonly kind: 'addColumn'; readonly table: string; readonly column: string; readonly notNull: boolean; readonly backfill: boolean }
  | { readonly kind: 'dropColumn'; readonly table: string; readonly column: string }
  | { readonly kind: 'renameColumn'; readonly table: string; readonly from: string; readonly to: string }
  /** `rewrite`: PostgreSQL rewrites the whole table (and its indexes) under an exclusive lock. */
  | { readonly kind: 'alterColumnType'; readonly table: string; readonly column: string; readonly from: string; readonly to: string; readonly rewrite: boolean }
  | { readonly kind: 'setNotNull'; readonly table: string; readonly column: string }
  | { readonly kind: 'createIndex'; readonly table: string; readonly name: string; readonly unique: boolean; readonly concurrently: boolean }
  | { readonly kind: 'addConstraint'; readonly table: string; readonly name: string; readonly constraint: 'primaryKey' | 'unique' | 'check' | 'foreignKey' }
  | { readonly kind: 'rawSql'; readonly sql: string };

/**
 * Whether changing a PostgreSQL column from type `from` to `to` rewrites the
 * table: only binary-coercible changes do not (a longer or removed varchar
 * limit, a wider numeric precision with the same scale).
 * @example
 * typeChangeRewrites('varchar(100)', 'varchar(200)'); // false
 * typeChangeRewrites('integer', 'bigint'); // true
 */
export function typeChangeRewrites(from: string, to: string): boolean {
  if (from === to) return false;
  const varchar = /^varchar\((\d+)\)$/;
  const fromVarchar = varchar.exec(from);
  if (fromVarchar) {
    if (to === 'text') return false;
    const toVarchar = varchar.exec(to);
    if (toVarchar) return Number(toVarchar[1]) < Number(fromVarchar[1]);
  }
  const numeric = /^numeric\((\d+), ?(\d+)\)$/;
  const fromNumeric = numeric.exec(from);
  const toNumeric = numeric.exec(to);
  if (fromNumeric && toNumeric) return !(fromNumeric[2] === toNumeric[2] && Number(toNumeric[1]) >= Number(fromNumeric[1]));
  return true;
}
