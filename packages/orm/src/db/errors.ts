import { AtriumError } from '@atrium/core';
import { DatabaseUnavailable, IntegrityError, type IntegrityKind } from '../errors.js';
import type { AnyModel } from '../model/model.js';
import { allModels } from '../model/model-registry.js';
import { ddlName, foreignKeyName, uniqueName } from '../schema/ddl-names.js';

interface DriverError {
  code?: unknown;
  message?: unknown;
  constraint?: unknown;
  column?: unknown;
  table?: unknown;
  detail?: unknown;
  errors?: unknown;
}

const PG_INTEGRITY: Record<string, IntegrityKind> = { '23505': 'unique', '23503': 'foreignKey', '23502': 'notNull', '23514': 'check' };
const SQLITE_INTEGRITY: Record<string, IntegrityKind> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreignKey',
  SQLITE_CONSTRAINT_NOTNULL: 'notNull',
  SQLITE_CONSTRAINT_CHECK: 'check',
};
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);
// 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, 53300 too_many_connections.
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect',
  // pg's client when a new connection does not open within connectionTimeoutMillis.
  'timeout expired',
  'Connection terminated',
  'not queryable',
  'Postgres connection has been discarded',
  'Cannot use a pool after calling end',
];

/**
 * Turn a driver error into the ORM's: constraint violations (SQLite and
 * PostgreSQL codes) become `IntegrityError` with the kind, the constraint and
 * the model's field names; a server that cannot be reached (refused, reset,
 * shut down, pool timeout, SQLite busy past its timeout) or that cannot
 * write (disk full, read-only, I/O error) becomes `DatabaseUnavailable` (503). Anything else is returned unchanged.
 * @example
 * try { await query.execute(); } catch (error) { throw translateDbError(error, Post); }
 */
export function translateDbError(error: unknown, model?: AnyModel): Error {
  if (error instanceof IntegrityError || error instanceof DatabaseUnavailable) return error;
  if (!(error instanceof Error)) return new Error(String(error));
  if (error instanceof AtriumError) return error;
  const e = error as Error & DriverError;
  const code = typeof e.code === 'string' ? e.code : '';

  const pgKind = PG_INTEGRITY[code];
  if (pgKind) return fromPostgres(pgKind, e, model);
  const sqliteKind = SQLITE_INTEGRITY[code];
  if (sqliteKind) return fromSqlite(sqliteKind, e, model);
  const storage = storageProblem(code);
  if (storage !== null) return new DatabaseUnavailable(`${storage} (${code}: ${e.message})`, { cause: error });
  if (isUnavailable(e, code)) {
    return new DatabaseUnavailable(`The database is unavailable (${code || 'connection error'}: ${e.message}). Retry later; the connection pool reconnects on its own.`, { cause: error });
  }
  return error;
}

/**
 * The database refuses writes because of its storage, not the query: disk
 * full, a read-only file or server, an I/O error. A 503 with the cause and
 * the fix in the log, not a 500 that looks like a bug in the view.
 */
function storageProblem(code: string): string | null {
  if (code === 'SQLITE_FULL' || code === '53100') return 'The database cannot store more data: its disk is full (or SQLite hit max_page_count). Free space or raise the limit';
  if (code.startsWith('SQLITE_READONLY') || code === '25006') return 'The database is read-only: check the file and folder permissions (SQLite needs to write the folder for its journal) or the server\'s read-only mode';
  if (code.startsWith('SQLITE_IOERR') || code === '58030') return 'The database had an I/O error reading or writing its files: check the disk';
  return null;
}

function isUnavailable(e: Error & DriverError, code: string): boolean {
  if (NETWORK_CODES.has(code) || PG_UNAVAILABLE.has(code) || code.startsWith('08')) return true;
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_')) return true;
  // net.connect() to a host with several addresses fails with an AggregateError of them.
  if (Array.isArray(e.errors) && e.errors.some((inner) => inner instanceof Error && isUnavailable(inner, String((inner as DriverError).code ?? '')))) return true;
  return code === '' && UNAVAILABLE_MESSAGES.some((m) => e.message.includes(m));
}

function fromPostgres(kind: IntegrityKind, e: Error & DriverError, model?: AnyModel): IntegrityError {
  const table = typeof e.table === 'string' ? e.table : null;
  const constraint = typeof e.constraint === 'string' ? e.constraint : null;
  let columns: string[] = [];
  if (kind === 'notNull' && typeof e.column === 'string') columns = [e.column];
  else if (typeof e.detail === 'string') columns = detailColumns(e.detail);
  const target = modelFor(table, model);
  let fields = columnsToFields(target, columns);
  if (fields.length === 0 && constraint && target) fields = constraintFields(target, constraint);
  // For "is still referenced from table x" the constraint lives on x, not on the row deleted.
  if (kind === 'foreignKey' && typeof e.detail === 'string' && /still referenced/.test(e.detail) && constraint) {
    const referencing = modelFor(table, undefined);
    const field = referencing?.meta.foreignKeys.find((fk) => foreignKeyName(referencing.meta.table, fk.column) === constraint);
    if (field) fields = [field.name];
  }
  // The detail ('Key (email)=(ann@x.org)') holds row values: kept in `cause`, not in the message.
  return new IntegrityError(kind, message(kind, target, table, fields, constraint), { constraint, fields, cause: e });
}

function fromSqlite(kind: IntegrityKind, e: Error & DriverError, model?: AnyModel): IntegrityError {
  const text = String(e.message ?? '');
  let table: string | null = null;
  let constraint: string | null = null;
  let fields: string[] = [];
  if (kind === 'unique' || kind === 'notNull') {
    // "UNIQUE constraint failed: blog_post.slug, blog_post.site_id" / "NOT NULL constraint failed: blog_post.title"
    const refs = (text.split('failed: ')[1] ?? '').split(', ').map((ref) => ref.trim()).filter(Boolean);
    const columns: string[] = [];
    for (const ref of refs) {
      const dot = ref.lastIndexOf('.');
      if (dot > 0) table = ref.slice(0, dot);
      columns.push(dot > 0 ? ref.slice(dot + 1) : ref);
    }
    const target = modelFor(table, model);
    fields = columnsToFields(target, columns);
    if (kind === 'unique' && target) constraint = uniqueConstraintName(target, fields);
    return new IntegrityError(kind, message(kind, target, table, fields, constraint), { constraint, fields, cause: e });
  }
  if (kind === 'check') {
    // "CHECK constraint failed: shop_item_price_gte_0"
    constraint = (text.split('failed: ')[1] ?? '').trim() || null;
    const target = model ?? (constraint ? allModels().find((m) => m.meta.constraints.some((c) => ddlName(c.name) === constraint)) : undefined);
    if (target && constraint) fields = constraintFields(target, constraint);
    return new IntegrityError(kind, message(kind, target ?? null, target?.meta.table ?? null, fields, constraint), { constraint, fields, cause: e });
  }
  // SQLite does not say which foreign key failed; name it when the model has only one.
  if (model && model.meta.foreignKeys.length === 1) fields = [model.meta.foreignKeys[0]!.name];
  return new IntegrityError(kind, message(kind, model ?? null, model?.meta.table ?? null, fields, null), { constraint: null, fields, cause: e });
}

/**
 * The IntegrityError for a foreign key failure located by
 * `sqliteForeignKeyViolation` (SQLite's own message names nothing).
 */
export function foreignKeyViolationError(table: string, column: string | null, cause: unknown): IntegrityError {
  const target = modelFor(table, undefined);
  const fields = column ? columnsToFields(target, [column]) : [];
  const constraint = column ? foreignKeyName(table, column) : null;
  return new IntegrityError('foreignKey', message('foreignKey', target, table, fields, constraint), { constraint, fields, cause });
}

/** 'Key (a, "b c")=(1, 2) already exists.' -> ['a', 'b c']. */
function detailColumns(detail: string): string[] {
  const match = /^Key \((.+?)\)=\(/.exec(detail);
  if (!match) return [];
  return match[1]!.split(', ').map((c) => c.replace(/^"|"$/g, '').replace(/""/g, '"'));
}

function modelFor(table: string | null, model: AnyModel | undefined): AnyModel | null {
  if (model && (table === null || model.meta.table === table)) return model;
  if (table === null) return null;
  return allModels().find((m) => m.meta.table === table) ?? null;
}

function columnsToFields(model: AnyModel | null, columns: readonly string[]): string[] {
  if (!model) return [...columns];
  return columns.map((column) => model.meta.columnFields.find((f) => f.column === column)?.name ?? column);
}

function constraintFields(model: AnyModel, constraint: string): string[] {
  const declared = model.meta.constraints.find((c) => c.name === constraint || ddlName(c.name) === constraint);
  if (declared?.kind === 'unique') return [...declared.fields];
  if (declared?.kind === 'check') return Object.keys(declared.condition).filter((k) => model.meta.fieldMap.has(k));
  const fk = model.meta.foreignKeys.find((f) => foreignKeyName(model.meta.table, f.column) === constraint);
  if (fk) return [fk.name];
  const field = model.meta.columnFields.find((f) => constraint === uniqueName(model.meta.table, f.column));
  return field ? [field.name] : [];
}

function uniqueConstraintName(model: AnyModel, fields: readonly string[]): string | null {
  const declared = model.meta.constraints.find((c) => c.kind === 'unique' && c.fields.length === fields.length && c.fields.every((f) => fields.includes(f)));
  if (declared) return ddlName(declared.name);
  if (fields.length === 1) {
    const field = model.meta.fieldMap.get(fields[0]!);
    if (field) return field.isPrimaryKey ? `${model.meta.table}_pkey` : uniqueName(model.meta.table, field.column);
  }
  return null;
}

const WHAT: Record<IntegrityKind, string> = {
  unique: 'Unique constraint',
  foreignKey: 'Foreign key constraint',
  notNull: 'Not-null constraint',
  check: 'Check constraint',
  protect: 'Protected relation',
};

function message(kind: IntegrityKind, model: AnyModel | null, table: string | null, fields: readonly string[], constraint: string | null): string {
  const on = model ? model.name : table ? `table ${table}` : 'the database';
  const which = fields.length > 0 ? ` on ${fields.map((f) => `'${f}'`).join(', ')}` : '';
  const named = constraint ? ` (${constraint})` : '';
  return `${WHAT[kind]} failed for ${on}${which}${named}.`;
}
