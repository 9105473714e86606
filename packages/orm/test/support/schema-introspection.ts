/**
 * Read what a table really looks like, on SQLite and PostgreSQL, so schema
 * tests assert on the database and not on the SQL text they sent.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../../src/fields/field.js';

export interface ColumnInfo {
  name: string;
  type: string;
  notNull: boolean;
}

export async function tableExists(kysely: Kysely<any>, dialect: Dialect, table: string): Promise<boolean> {
  if (dialect === 'sqlite') {
    const { rows } = await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = ${table}`.execute(kysely);
    return Number(rows[0]!.n) > 0;
  }
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = current_schema() and table_name = ${table}`.execute(kysely);
  return Number(rows[0]!.n) > 0;
}

export async function columnsOf(kysely: Kysely<any>, dialect: Dialect, table: string): Promise<ColumnInfo[]> {
  if (dialect === 'sqlite') {
    const { rows } = await sql<{ name: string; type: string; notnull: number; pk: number }>`select * from pragma_table_info(${table})`.execute(kysely);
    return rows.map((r) => ({ name: r.name, type: r.type.toLowerCase(), notNull: r.notnull === 1 || r.pk === 1 }));
  }
  const { rows } = await sql<{ name: string; type: string; nullable: string }>`
    select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, case when a.attnotnull then 'NO' else 'YES' end as nullable
    from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relname = ${table} and a.attnum > 0 and not a.attisdropped
    order by a.attnum`.execute(kysely);
  return rows.map((r) => ({ name: r.name, type: r.type.replace('character varying', 'varchar'), notNull: r.nullable === 'NO' }));
}

/** Index names of a table (SQLite's automatic indexes for inline UNIQUE/PK excluded; PostgreSQL's constraint indexes included). */
export async function indexesOf(kysely: Kysely<any>, dialect: Dialect, table: string): Promise<string[]> {
  if (dialect === 'sqlite') {
    const { rows } = await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = ${table} and name not like 'sqlite_autoindex%' order by name`.execute(kysely);
    return rows.map((r) => r.name);
  }
  const { rows } = await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema() and tablename = ${table} order by indexname`.execute(kysely);
  return rows.map((r) => r.name);
}

/** Foreign keys of a table as 'column->table.column'. */
export async function foreignKeysOf(kysely: Kysely<any>, dialect: Dialect, table: string): Promise<string[]> {
  if (dialect === 'sqlite') {
    const { rows } = await sql<{ from: string; table: string; to: string }>`select "from", "table", "to" from pragma_foreign_key_list(${table})`.execute(kysely);
    return rows.map((r) => `${r.from}->${r.table}.${r.to}`).sort();
  }
  const { rows } = await sql<{ col: string; ref_table: string; ref_col: string }>`
    select a.attname as col, rc.relname as ref_table, ra.attname as ref_col
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
    join pg_class rc on rc.oid = k.confrelid
    join pg_attribute a on a.attrelid = k.conrelid and a.attnum = k.conkey[1]
    join pg_attribute ra on ra.attrelid = k.confrelid and ra.attnum = k.confkey[1]
    where k.contype = 'f' and n.nspname = current_schema() and c.relname = ${table}`.execute(kysely);
  return rows.map((r) => `${r.col}->${r.ref_table}.${r.ref_col}`).sort();
}

/** Names of unique and check constraints (PostgreSQL), or of UNIQUE/CHECK clauses found in CREATE TABLE (SQLite). */
export async function constraintsOf(kysely: Kysely<any>, dialect: Dialect, table: string): Promise<string[]> {
  if (dialect === 'sqlite') {
    const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where type = 'table' and name = ${table}`.execute(kysely);
    const text = rows[0]?.sql ?? '';
    return [...text.matchAll(/constraint "([^"]+)" (?:unique|check)/g)].map((m) => m[1]!).sort();
  }
  const { rows } = await sql<{ name: string }>`
    select k.conname as name from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
    where k.contype in ('u', 'c') and n.nspname = current_schema() and c.relname = ${table} order by k.conname`.execute(kysely);
  return rows.map((r) => r.name);
}
